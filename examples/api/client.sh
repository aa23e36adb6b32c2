#!/usr/bin/env bash
# The whole flow of the pikafx effects API with curl:
#   upload a clip -> apply an effect -> poll the job -> download the output.
#
#   PIKAFX_URL=http://127.0.0.1:8080 PIKAFX_API_KEY=sk-pika-... \
#     examples/api/client.sh input.mp4 output.mp4 [effect] [webhook-url]
#
# With a webhook URL it first registers a webhook (printing its secret for
# examples/api/webhook_receiver.py). Needs curl and python3 (for JSON).
set -euo pipefail

input=${1:?usage: client.sh INPUT OUTPUT [EFFECT] [WEBHOOK_URL]}
output=${2:?usage: client.sh INPUT OUTPUT [EFFECT] [WEBHOOK_URL]}
effect=${3:-melt}
webhook=${4:-}
url=${PIKAFX_URL:-http://127.0.0.1:8080}
key=${PIKAFX_API_KEY:?set PIKAFX_API_KEY to an sk-pika-... key (pikafx keys create)}

# curl that fails on HTTP errors but still shows the API's error JSON.
api() {
  local body status
  body=$(curl -sS -w '\n%{http_code}' -H "authorization: Bearer $key" "$@")
  status=${body##*$'\n'}
  body=${body%$'\n'*}
  if [ "$status" -ge 400 ]; then
    echo "HTTP $status: $body" >&2
    exit 1
  fi
  printf '%s' "$body"
}
field() { python3 -c "import json,sys; v=json.load(sys.stdin); print(eval('v' + sys.argv[1]))" "$1"; }

if [ -n "$webhook" ]; then
  hook=$(api -H 'content-type: application/json' -d "{\"url\": \"$webhook\"}" "$url/v1/webhooks")
  echo "webhook: $(echo "$hook" | field "['id']") secret: $(echo "$hook" | field "['secret']")"
fi

clip=$(api -H 'content-type: application/octet-stream' --data-binary "@$input" "$url/v1/clips")
clip_id=$(echo "$clip" | field "['id']")
echo "uploaded: $clip_id ($(echo "$clip" | field "['width']")x$(echo "$clip" | field "['height']"), $(echo "$clip" | field "['duration_sec']") s)"

job=$(api -H 'content-type: application/json' -H "idempotency-key: $(basename "$input")-$effect-$$" \
  -d "{\"clip_id\": \"$clip_id\", \"effect\": \"$effect\"}" "$url/v1/effects/apply")
job_id=$(echo "$job" | field "['job_id']")
echo "job: $job_id ($(echo "$job" | field "['credits']") credits)"

while :; do
  state=$(api "$url/v1/jobs/$job_id")
  status=$(echo "$state" | field "['status']")
  case $status in
    complete) break ;;
    failed|cancelled) echo "job $status: $(echo "$state" | field "['error']")" >&2; exit 1 ;;
    *) printf '\r%s %3.0f%%' "$status" "$(echo "$state" | field "['progress'] * 100")"; sleep 1 ;;
  esac
done
echo
download=$(echo "$state" | field "['output']['url']")
curl -sS --fail -H "authorization: Bearer $key" -o "$output" "$download"
echo "output: $output ($(echo "$state" | field "['output']['resolution']"), $(echo "$state" | field "['output']['size_bytes']") bytes)"
echo "credits left: $(api "$url/v1/account/usage" | field "['credits_balance']")"
