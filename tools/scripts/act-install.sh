#!/usr/bin/env bash
# npm run act:install — makes nektos/act (a GitHub Actions runner, MIT) available to
# `npm run e2e:workflows` without downloading a release: `go install` builds it from its Go
# module into .tools/bin (ignored by git). Does nothing when that version is already built.
#
#   ACT_VERSION          the version to build (default below, the one e2e/workflows was written against)
#   S2S_ACT_BUILD=always rebuild even when .tools/bin is current
#
# A user's own `act` on PATH wins: npm run e2e:workflows then uses it and builds nothing. This
# script itself always builds into .tools/bin, so CI never depends on what a machine has.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

want=${ACT_VERSION:-0.2.89}
bin="$root/.tools/bin"
stamp="$bin/.act-stamp"
expected="v$want"

if [ "${S2S_ACT_BUILD:-}" != always ] && [ -x "$bin/act" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$expected" ]; then
  echo "act:install: .tools/bin has act v$want (nothing to do)" >&2
  exit 0
fi

if ! command -v go >/dev/null; then
  echo "act:install: Go is needed to build act (go.dev/doc/install), or put a released act on PATH" >&2
  exit 1
fi

mkdir -p "$bin"
started=$(date +%s)
echo "act:install: building act v$want from its Go module into .tools/bin (the first build takes minutes)" >&2
# act's main.go reads its version from a variable set at link time; without it, it reports a dev build.
GOBIN="$bin" go install -trimpath -ldflags "-X main.version=$want" "github.com/nektos/act@v$want"
echo "$expected" >"$stamp"
echo "act:install: built in $(($(date +%s) - started)) s: $("$bin/act" --version)" >&2
