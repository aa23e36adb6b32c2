#!/usr/bin/env bash
# Builds the script-language example plugins into OUT_DIR:
#   OUT_DIR/py-sepia.wasm    (Python, componentize-py)
#   OUT_DIR/js-duotone.wasm  (JavaScript, componentize-js)
# Usage: examples/build.sh OUT_DIR
set -euo pipefail

COMPONENTIZE_PY_VERSION=0.25.1

usage() { echo "usage: $0 OUT_DIR" >&2; exit 2; }
die() { echo "examples/build.sh: error: $*" >&2; exit 1; }

[[ $# -eq 1 ]] || usage
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
WIT="$REPO/wit/0.1.0"
mkdir -p "$1"
OUT="$(cd "$1" && pwd)"

# Check every tool before building anything.
command -v python3 >/dev/null || die "python3 not found (needed to check the components' imports)"
command -v componentize-py >/dev/null \
  || die "componentize-py not found: pip install componentize-py==$COMPONENTIZE_PY_VERSION"
have_py="$(componentize-py --version | awk '{print $2}')"
if [[ "$have_py" != "$COMPONENTIZE_PY_VERSION" ]]; then
  echo "examples/build.sh: warning: componentize-py $have_py found, built and tested with $COMPONENTIZE_PY_VERSION" >&2
fi
command -v node >/dev/null || die "node not found: install Node.js >= 20 (with npm), then run 'npm ci' in examples/js"
command -v npm >/dev/null || die "npm not found: install npm, then run 'npm ci' in examples/js"

check_imports() {
  python3 "$HERE/tools/list_imports.py" --check "$1" >/dev/null \
    || die "$1 imports interfaces the host refuses (see: python3 examples/tools/list_imports.py $1)"
}

# Python: --stub-wasi replaces the runtime's WASI imports with trapping stubs.
# Without it the component imports wasi:sockets (wasi-libc's socket support in
# the CPython runtime), which the host refuses. Consequence: the Python guest
# cannot print (use pika:fx/log) or read clocks.
start=$SECONDS
echo "building py-sepia (componentize-py $have_py)..."
(
  cd "$HERE/python/sepia"
  componentize-py -q -d "$WIT" -w plugin componentize --stub-wasi app -o "$OUT/py-sepia.wasm"
)
check_imports "$OUT/py-sepia.wasm"
echo "  $OUT/py-sepia.wasm: $(wc -c <"$OUT/py-sepia.wasm") bytes, $((SECONDS - start)) s"

# JavaScript: `-d http fetch-event` drops wasi:http, which the host refuses.
start=$SECONDS
echo "building js-duotone (componentize-js)..."
(
  cd "$HERE/js"
  if [[ ! -d node_modules/@bytecodealliance/componentize-js ]]; then
    echo "  node_modules missing: running npm ci in examples/js"
    npm ci --no-audit --no-fund >/dev/null || die "npm ci failed in examples/js"
  fi
  npx --no-install componentize-js duotone/app.js -w "$WIT" -n plugin -d http fetch-event -o "$OUT/js-duotone.wasm" >/dev/null
)
check_imports "$OUT/js-duotone.wasm"
echo "  $OUT/js-duotone.wasm: $(wc -c <"$OUT/js-duotone.wasm") bytes, $((SECONDS - start)) s"
