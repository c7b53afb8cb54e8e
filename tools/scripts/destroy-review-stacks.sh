#!/usr/bin/env bash
# Destroys and removes each named review stack, retrying a failed destroy (a lock left by a
# cancelled run, Entra or ARM throttling, a resource still in use), and lists on the run
# summary what it removed and what it could not. Used by .github/workflows/review-stacks.yml.
# A stack file stays: `pulumi stack rm` deletes Pulumi.<stack>.yaml unless --preserve-config
# (as `pulumi destroy --remove` does), and a dev stack's file is committed config.
# Usage: destroy-review-stacks.sh STACK... ; exit 1 when any stack is left.
set -uo pipefail
attempts="${DESTROY_ATTEMPTS:-3}"
wait_seconds="${DESTROY_WAIT_SECONDS:-60}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
failed=0
for stack in "$@"; do
  if ! pulumi stack ls --json | STACK="$stack" node -e 'const s = JSON.parse(require("fs").readFileSync(0, "utf8")); process.exit(s.some((x) => x.name.split("/").pop() === process.env.STACK) ? 0 : 1)'; then
    echo "- $stack: no such stack, nothing to destroy" | tee -a "$summary"
    continue
  fi
  done_ok=0
  for attempt in $(seq 1 "$attempts"); do
    # --refresh: objects someone removed by hand are dropped from the state first; azuread fails to delete
    # what is already gone (go-azure-sdk expects 200/204 from a DELETE).
    if pulumi destroy --yes --refresh --stack "$stack" --suppress-progress && pulumi stack rm --yes --preserve-config "$stack"; then
      echo "- $stack: destroyed and removed (attempt $attempt)" | tee -a "$summary"
      done_ok=1
      break
    fi
    echo "$stack: destroy attempt $attempt of $attempts failed" >&2
    if [ "$attempt" -lt "$attempts" ]; then sleep "$wait_seconds"; fi
  done
  if [ "$done_ok" -ne 1 ]; then
    echo "- $stack: NOT destroyed after $attempts attempts (the next scheduled cleanup retries)" | tee -a "$summary"
    failed=1
  fi
done
exit "$failed"
