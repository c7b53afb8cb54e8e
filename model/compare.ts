// The one string order of this project: UTF-16 code units, as `<` compares strings. Never
// localeCompare or Intl.Collator, whose order follows the machine's locale (in sv_SE "w" sorts
// with "v", in tr_TR "I" lowercases to "ı"), so a plan or PR comment would change bytes with
// LANG. No imports: the policy pack and scripts load this file too.

/** Negative, zero or positive as `a` sorts before, with or after `b` in code-unit order. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A sorted copy of `values` in code-unit order. */
export function sortedByCodeUnits(values: Iterable<string>): string[] {
  return [...values].sort(compareCodeUnits);
}
