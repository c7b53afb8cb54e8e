// How the recorder turns values that exist only after deployment into placeholders (the
// grammar is model/placeholder.ts): secrets masked, and `reveal`, which lets the program read
// any output of a deploy-time value and get a traceable placeholder for it.
import { isPlainObject, placeholder } from "../../model/placeholder.ts";

/** What a secret reads as in a plan: plans are shown in PRs and logs. */
export const SECRET = "[secret]";

/** Appends a property name or array index to a path: `identity` + `principalId`, `appRoles` + 0. */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

// Property names the JavaScript runtime, Pulumi's SDK or test tools probe to find out what an
// object is (a thenable, an Output, a Resource, a matcher...). They must stay undefined, or a
// placeholder string would make the object look like one of those.
const PROBES = new Set([
  "then",
  "toJSON",
  "asymmetricMatch",
  "nodeType",
  "inspect",
  "$$typeof",
  "@@__IMMUTABLE_ITERABLE__@@",
]);

function isProbe(key: string): boolean {
  return PROBES.has(key) || key.startsWith("__") || key.startsWith("$$");
}

/**
 * A view of a deploy-time value in which every property the value lacks reads as its
 * placeholder: `reveal(urn, "identity", {type: "SystemAssigned"}).principalId` is
 * `${urn#identity.principalId}`. Known properties keep their values; nested objects and
 * array elements are revealed too. This is what lets the real program run without a stub per
 * resource type: whatever output it reads, it gets a traceable string.
 */
export function reveal(source: string, path: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reveal(source, joinPath(path, i), v));
  if (!isPlainObject(value)) return value;
  const children = new Map<string, unknown>();
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === "symbol") return Reflect.get(target, key, receiver);
      if (key in target) {
        const own = Reflect.get(target, key, receiver);
        if (!Object.prototype.hasOwnProperty.call(target, key) || (!isPlainObject(own) && !Array.isArray(own)))
          return own;
        if (!children.has(key)) children.set(key, reveal(source, joinPath(path, key), own));
        return children.get(key);
      }
      return isProbe(key) ? undefined : placeholder(source, joinPath(path, key));
    },
  });
}
