#!/usr/bin/env bash
# npm run pulumi:install — makes the Pulumi CLI and a Node.js language host available to this
# project without downloading a release: both are built from Go modules into .tools/bin
# (ignored by git). Does nothing when they are already built for the pinned version.
#
#   PULUMI_VERSION   the version to build (default: the exact @pulumi/pulumi of package.json)
#   S2S_PULUMI_BUILD=always   rebuild even when .tools/bin is current
#
# A `pulumi` already on PATH (every real user has one) is what `npm run twin:env` puts first;
# this script still builds into .tools/bin so CI never depends on what a machine has.
set -euo pipefail

# --help and a wrong command line as every CLI of the project answers them (tools/cli/args.ts):
# usage on stdout and exit 0; one line on stderr and exit 64.
help() {
  cat <<'HELP'
Builds the Pulumi CLI and its Node.js language host from Go modules into .tools/bin (once; does nothing when current).

Usage:
  npm run pulumi:install

Options:
  PULUMI_VERSION=<v>        build that version (default: the exact @pulumi/pulumi of package.json)
  S2S_PULUMI_BUILD=always   rebuild even when .tools/bin is current
  -h, --help          this text

Exit codes:
   0  built, or already current
   1  no Go, or the build failed (its last lines on stderr)
  64  wrong command line

Examples:
  npm run pulumi:install
  S2S_PULUMI_BUILD=always npm run pulumi:install
HELP
}
case "${1-}" in
  -h | --help) help; exit 0 ;;
  "") ;;
  -*) echo "pulumi:install: Unknown option '$1' (see npm run pulumi:install -- --help)" >&2; exit 64 ;;
  *) echo "pulumi:install: Unexpected argument '$1' (see npm run pulumi:install -- --help)" >&2; exit 64 ;;
esac

cd "$(dirname "$0")/../.."
root=$(pwd)

want=${PULUMI_VERSION:-$(node -p 'require("./package.json").dependencies["@pulumi/pulumi"]')}
bin="$root/.tools/bin"
# The stamp records the version and the sources it was built from: a change to the wrapper
# module or the language host rebuilds.
stamp="$bin/.stamp"
sources=$(cat tools/pulumi/go.mod tools/pulumi/go.sum tools/pulumi/language-nodejs/*.go | sha256sum | cut -d' ' -f1)
expected="v$want $sources"

if [ "${S2S_PULUMI_BUILD:-}" != always ] && [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] \
  && [ "$(cat "$stamp" 2>/dev/null)" = "$expected" ]; then
  echo "pulumi:install: .tools/bin has pulumi v$want (nothing to do)" >&2
  exit 0
fi

if ! command -v go >/dev/null; then
  echo "pulumi:install: Go is needed to build the Pulumi CLI (go.dev/doc/install), or put a released pulumi on PATH" >&2
  exit 1
fi

# The wrapper module pins pkg/v3 and sdk/v3 to one version; a PULUMI_VERSION other than the
# committed one is built in a scratch copy so the committed go.mod stays as it is.
module="$root/tools/pulumi"
scratch="" ticker=""
# On any exit, also Ctrl-C: the scratch module and the progress ticker (below) go too.
trap '[ -z "$ticker" ] || kill "$ticker" 2>/dev/null; [ -z "$scratch" ] || rm -rf "$scratch"' EXIT
if ! grep -q "github.com/pulumi/pulumi/pkg/v3 v$want\$" "$module/go.mod"; then
  scratch=$(mktemp -d)
  cp -r "$module/." "$scratch/"
  module="$scratch"
  (cd "$module" && go mod edit -require="github.com/pulumi/pulumi/pkg/v3@v$want" -require="github.com/pulumi/pulumi/sdk/v3@v$want" && go mod tidy)
fi

mkdir -p "$bin"
started=$SECONDS
echo "pulumi:install: building pulumi v$want and pulumi-language-nodejs from Go modules into .tools/bin (the first build takes minutes)" >&2

# A cold build compiles about 1,700 packages for minutes without a word, so this says what it
# builds and, every S2S_PULUMI_PROGRESS_SECONDS (default 15) seconds, how long it has run and how
# many packages `go build -v` has compiled: a line at a time, which CI logs keep (no spinner).
interval=${S2S_PULUMI_PROGRESS_SECONDS:-15}
elapsed() { local s=$((SECONDS - $1)); if [ "$s" -ge 60 ]; then echo "$((s / 60)) min $((s % 60)) s"; else echo "$s s"; fi; }
# `go build -v` prints each package it compiles on a line of its own (compiler messages follow a "# pkg" line).
compiled() { grep -c '^[^#[:space:]]' "$1" || true; }
# build WHAT PACKAGE GO-BUILD-ARGS...: go build -v of PACKAGE in the wrapper module, with progress.
build() {
  local what=$1 package=$2 log total n since=$SECONDS code=0
  shift 2
  log=$(mktemp)
  # Every package in its import graph; a package already in the Go build cache is not compiled again.
  total=$(cd "$module" && go list -deps "$package" | wc -l)
  echo "pulumi:install: $what: go build $package ($total packages with its imports)" >&2
  (
    while sleep "$interval" >/dev/null 2>&1; do
      n=$(compiled "$log")
      echo "pulumi:install: $what: $(elapsed "$since"), $n of $total packages compiled$([ "$n" -eq 0 ] || echo ", last $(tail -n 1 "$log")")" >&2
    done
  ) &
  ticker=$!
  (cd "$module" && go build -v -trimpath "$@" "$package") 2>"$log" || code=$?
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  ticker=""
  if [ "$code" -ne 0 ]; then
    echo "pulumi:install: $what: go build failed (exit $code) after $(elapsed "$since"); its last lines:" >&2
    tail -n 40 "$log" >&2
    rm -f "$log"
    exit "$code"
  fi
  n=$(compiled "$log")
  echo "pulumi:install: $what: built in $(elapsed "$since") ($n packages compiled, $((total - n)) from the Go build cache)" >&2
  rm -f "$log"
}
build pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
  -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$want" -o "$bin/pulumi"
build pulumi-language-nodejs ./language-nodejs -ldflags "-X main.version=$want" -o "$bin/pulumi-language-nodejs"
echo "$expected" >"$stamp"
echo "pulumi:install: built in $(elapsed "$started"): $("$bin/pulumi" version)" >&2
