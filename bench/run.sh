#!/usr/bin/env bash
# Side-by-side benchmark of pikafx against the ffmpeg CLI on the same clip,
# same x264 preset and crf, in one run (this machine is shared and noisy:
# only ratios measured together mean anything). Prints a Markdown report.
#
#   bench/run.sh            # uses target/release/pikafx if built, else target/debug/pikafx
#   PIKAFX_BIN=... RUNS=5 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${PIKAFX_BIN:-$([ -x target/release/pikafx ] && echo target/release/pikafx || echo target/debug/pikafx)}
RUNS=${RUNS:-3}
DIR=target/bench
PLUGINS=target/plugins
PRESET=veryfast
CRF=23
CHAIN="eq=contrast=1.2:saturation=1.3,colorbalance=rs=0.1,vignette,noise=alls=10:allf=t"
mkdir -p "$DIR"
[ -x "$BIN" ] || { echo "bench: $BIN not built (make build)" >&2; exit 1; }
[ -f "$PLUGINS/film.wasm" ] || { echo "bench: plugins not built (make plugins)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "bench: GNU time is needed (apt install time)" >&2; exit 1; }

clip() { # clip NAME SECONDS
  local path="$DIR/$1"
  [ -f "$path" ] || ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=s=1280x720:r=30:d=$2" \
    -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p "$path"
  echo "$path"
}
CLIP10=$(clip 720p-10s.mp4 10)
CLIP60=$(clip 720p-60s.mp4 60)
FRAMES=300
export PIKAFX_PLUGIN_PATH=$PLUGINS PIKAFX_CACHE_DIR=$DIR/cache

# measure OUTVAR CMD...: median wall seconds over $RUNS runs; also sets ${OUTVAR}_rss (KiB, max).
measure() {
  local var=$1; shift
  local times=() rss=0
  for _ in $(seq "$RUNS"); do
    local line
    line=$(/usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -n 1)
    times+=("${line%% *}")
    local r=${line##* }; ((r > rss)) && rss=$r
  done
  printf -v "$var" '%s' "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")"
  printf -v "${var}_rss" '%s' "$rss"
}
fps() { awk -v f="$FRAMES" -v s="$1" 'BEGIN { printf "%.1f", f / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; } # speed of a relative to b: time b / time a

# Warm the plugin cache so compile time is not counted in renders.
"$BIN" effects >/dev/null

measure ff_pass ffmpeg -hide_banner -loglevel error -y -i "$CLIP10" -c:v libx264 -preset $PRESET -crf $CRF -an "$DIR/ff-pass.mp4"
measure px_pass "$BIN" -q apply "$CLIP10" -o "$DIR/px-pass.mp4" --allow-empty --preset $PRESET --crf $CRF --no-audio
measure ff_film ffmpeg -hide_banner -loglevel error -y -i "$CLIP10" -vf "$CHAIN" -c:v libx264 -preset $PRESET -crf $CRF -an "$DIR/ff-film.mp4"
measure px_film "$BIN" -q apply "$CLIP10" -o "$DIR/px-film.mp4" --effect style/film --preset $PRESET --crf $CRF --no-audio
measure px_film60 "$BIN" -q apply "$CLIP60" -o "$DIR/px-film60.mp4" --effect style/film --preset $PRESET --crf $CRF --no-audio
stats=$("$BIN" -q apply "$CLIP10" -o "$DIR/px-film.mp4" --effect style/film --preset $PRESET --crf $CRF --no-audio --stats)
per_call=$(echo "$stats" | python3 -c 'import json,sys; print("%.3f" % json.load(sys.stdin)["plugin_ms_per_call"])')

load_times() { # plugin -> "cold_ms cached_ms"
  local cache; cache=$(mktemp -d)
  local cold cached
  cold=$(PIKAFX_CACHE_DIR=$cache "$BIN" inspect "$PLUGINS/$1" | sed -n 's/.*loaded: *\([0-9.]*\) ms.*/\1/p')
  cached=$(PIKAFX_CACHE_DIR=$cache "$BIN" inspect "$PLUGINS/$1" | sed -n 's/.*loaded: *\([0-9.]*\) ms.*/\1/p')
  rm -rf "$cache"
  echo "$cold $cached"
}
read -r film_cold film_cached < <(load_times film.wasm)
read -r py_cold py_cached < <(load_times py-sepia.wasm)

cat <<REPORT
Binary: $BIN; clip: testsrc2 1280x720 30 fps 10 s ($FRAMES frames); x264 preset $PRESET crf $CRF; median of $RUNS runs.
GPU: $(echo "$stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["gpu"])'); CPU: $(nproc) cores.

| job | ffmpeg CLI | pikafx | pikafx / ffmpeg speed | target |
|---|---|---|---|---|
| pass-through (decode, encode) | ${ff_pass} s, $(fps "$ff_pass") fps | ${px_pass} s, $(fps "$px_pass") fps | $(ratio "$px_pass" "$ff_pass")x | >= 0.8x |
| colour grade + vignette + grain (\`style/film\` vs \`$CHAIN\`) | ${ff_film} s, $(fps "$ff_film") fps | ${px_film} s, $(fps "$px_film") fps | $(ratio "$px_film" "$ff_film")x | >= 1.5x |

| measure | value | target |
|---|---|---|
| plugin \`render\` call, WASM side only (style/film, mean over 300 calls) | ${per_call} ms | < 0.2 ms |
| load film.wasm (61 KB): cold compile / cached | ${film_cold} ms / ${film_cached} ms | |
| load py-sepia.wasm (18 MB, CPython inside): cold compile / cached | ${py_cold} ms / ${py_cached} ms | |
| peak RSS, style/film on 10 s / 60 s | $((px_film_rss / 1024)) MiB / $((px_film60_rss / 1024)) MiB | flat |
REPORT
