#!/usr/bin/env bash
# Installs what building, running and testing pikafx needs on Debian 12 with
# Rust (rustup). Idempotent: each step checks before it installs.
set -euo pipefail

APT_PACKAGES=(
  pkg-config clang libclang-dev
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev libavdevice-dev
  ffmpeg                # the CLI makes test clips and the benchmark baseline
  time                  # GNU time: peak RSS in bench/run.sh
  mesa-vulkan-drivers libvulkan1   # lavapipe: the software GPU used when there is no real one
  nodejs npm            # componentize-js for the JavaScript example plugin
  python3-pip
  openssl               # self-signed certificates for the TLS test of `pikafx serve`
)
COMPONENTIZE_PY_VERSION=0.25.1
# Validates the OpenAPI document of `pikafx serve` in tests/serve_api.rs.
OPENAPI_VALIDATOR_VERSION=0.9.0

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# Node and pip may come from elsewhere (nvm, pyenv): only ask apt when absent.
command -v node >/dev/null && command -v npm >/dev/null && missing=("${missing[@]/nodejs}") && missing=("${missing[@]/npm}")
command -v pip3 >/dev/null && missing=("${missing[@]/python3-pip}")
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-wasip2; then
  echo "setup: adding the wasm32-wasip2 target"
  rustup target add wasm32-wasip2
fi

if ! componentize-py --version 2>/dev/null | grep -q "$COMPONENTIZE_PY_VERSION"; then
  echo "setup: installing componentize-py $COMPONENTIZE_PY_VERSION"
  pip3 install -q "componentize-py==$COMPONENTIZE_PY_VERSION" 2>/dev/null \
    || pip3 install -q --break-system-packages "componentize-py==$COMPONENTIZE_PY_VERSION"
fi

if ! python3 -c "import openapi_spec_validator" 2>/dev/null; then
  echo "setup: installing openapi-spec-validator $OPENAPI_VALIDATOR_VERSION"
  pip3 install -q "openapi-spec-validator==$OPENAPI_VALIDATOR_VERSION" 2>/dev/null \
    || pip3 install -q --break-system-packages "openapi-spec-validator==$OPENAPI_VALIDATOR_VERSION"
fi

if [ -f examples/js/package-lock.json ] && [ ! -d examples/js/node_modules ]; then
  echo "setup: installing componentize-js (npm ci)"
  (cd examples/js && npm ci --silent --no-audit --no-fund)
fi
# The browser test of `pikafx preview --web` drives the system's Chromium with
# playwright-core (pinned in tests/web/package-lock.json; no browser download).
if [ ! -x /usr/bin/chromium ]; then
  echo "setup: installing chromium"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if [ -f tests/web/package-lock.json ] && [ ! -d tests/web/node_modules ]; then
  echo "setup: installing playwright-core for the browser test (npm ci)"
  (cd tests/web && npm ci --silent --no-audit --no-fund)
fi
echo "setup: ok"
