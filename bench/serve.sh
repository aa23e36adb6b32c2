#!/usr/bin/env bash
# Loopback load test of `pikafx serve` with the render pool busy (issue 4):
# wrk with 200 connections against
#   GET  /healthz            baseline: no auth, no database
#   GET  /v1/jobs/{id}       authenticated read
#   POST /v1/effects/apply   the accept path (validate, charge, queue)
# while 2 workers render 720p melts. Prints a Markdown report with p99 and
# throughput, and each endpoint's p99 relative to the baseline's.
#
#   bench/serve.sh                  # target/release/pikafx if built, else debug
#   PIKAFX_BIN=... DURATION=10s CONNECTIONS=200 bench/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${PIKAFX_BIN:-$([ -x target/release/pikafx ] && echo target/release/pikafx || echo target/debug/pikafx)}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-200}
DIR=target/bench/serve
PLUGINS=target/plugins
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt install wrk)" >&2; exit 1; }
[ -f "$PLUGINS/melt.wasm" ] || { echo "bench: plugins not built (make plugins)" >&2; exit 1; }
rm -rf "$DIR/data"
mkdir -p "$DIR"
export PIKAFX_PLUGIN_PATH=$PLUGINS PIKAFX_CACHE_DIR=target/bench/cache

CLIP=$DIR/720p-20s.mp4
[ -f "$CLIP" ] || ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=s=1280x720:r=30:d=20" \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p "$CLIP"

KEY=$("$BIN" keys create --data-dir "$DIR/data" --account bench --plan fancy 2>/dev/null)
"$BIN" credits grant --data-dir "$DIR/data" --account bench --amount 1000000000 >/dev/null
"$BIN" serve --data-dir "$DIR/data" --listen 127.0.0.1:0 --workers 2 \
  --rate-per-minute 1000000000 --rate-burst 1000000000 >"$DIR/server.out" 2>"$DIR/server.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '^serving: ' "$DIR/server.out" && break; sleep 0.1; done
URL=$(sed -n 's/^serving: //p' "$DIR/server.out")
[ -n "$URL" ] || { cat "$DIR/server.err" >&2; exit 1; }
AUTH="authorization: Bearer $KEY"
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

CLIP_ID=$(curl -sS -H "$AUTH" --data-binary "@$CLIP" "$URL/v1/clips" | json "['id']")
BODY="{\"clip_id\": \"$CLIP_ID\", \"effect\": \"melt\"}"
for _ in 1 2 3 4; do
  JOB=$(curl -sS -H "$AUTH" -H 'content-type: application/json' -d "$BODY" "$URL/v1/effects/apply" | json "['job_id']")
done
sleep 2
running() { curl -sS "$URL/metrics" | awk '/^pikafx_jobs_running / { print $2 }'; }

# run NAME wrk-args...: sets NAME_p99 (ms) and NAME_rps
run() {
  local name=$1; shift
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@")
  local p99 rps
  p99=$(echo "$out" | awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } print v }')
  rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
  local non2xx
  non2xx=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
  printf -v "${name}_p99" '%s' "$p99"
  printf -v "${name}_rps" '%s' "$rps"
  printf -v "${name}_errors" '%s' "${non2xx:-0}"
  printf -v "${name}_running" '%s' "$(running)"
}
LUA=$DIR/post.lua
cat >"$LUA" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer $KEY"
LUA

run health "$URL/healthz"
run read -H "$AUTH" "$URL/v1/jobs/$JOB"
run accept -s "$LUA" "$URL/v1/effects/apply"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "## pikafx serve under load ($(date -u +%F), $(nproc) cores, $CONNECTIONS connections, $DURATION each, $(basename "$BIN"))"
echo
echo "| endpoint | requests/s | p99 latency | p99 vs /healthz | non-2xx | jobs rendering during the run |"
echo "|---|---|---|---|---|---|"
echo "| GET /healthz (baseline) | $health_rps | ${health_p99} ms | 1.00 | $health_errors | $health_running |"
echo "| GET /v1/jobs/{id} | $read_rps | ${read_p99} ms | $(ratio "$read_p99" "$health_p99") | $read_errors | $read_running |"
echo "| POST /v1/effects/apply | $accept_rps | ${accept_p99} ms | $(ratio "$accept_p99" "$health_p99") | $accept_errors | $accept_running |"
