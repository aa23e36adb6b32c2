#!/usr/bin/env bash
# Interleaved A/B of `style/film` against the ffmpeg chain it stands for,
# round by round, so that the noise of this shared machine hits both sides
# alike. Compare builds by passing several binaries (e.g. one copied aside
# before a change). Prints one line per run: wall, user and system seconds.
#
#   bench/film-ab.sh 4 target/release/pikafx
#   bench/film-ab.sh 3 /tmp/pikafx-before target/release/pikafx
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:?usage: bench/film-ab.sh ROUNDS BIN...}
shift
DIR=target/bench
CLIP=$DIR/720p-10s.mp4
CHAIN="eq=contrast=1.2:saturation=1.3,colorbalance=rs=0.1,vignette,noise=alls=10:allf=t"
mkdir -p "$DIR"
[ -f "$CLIP" ] || ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=s=1280x720:r=30:d=10" \
  -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p "$CLIP"
export PIKAFX_PLUGIN_PATH=target/plugins PIKAFX_CACHE_DIR=$DIR/cache
# Warm the plugin cache so compile time is not counted in renders.
for bin in "$@"; do "$bin" effects >/dev/null; done
for round in $(seq "$ROUNDS"); do
  t=$(/usr/bin/time -f "%e %U %S" ffmpeg -hide_banner -loglevel error -y -i "$CLIP" -vf "$CHAIN" \
    -c:v libx264 -preset veryfast -crf 23 -an "$DIR/ab-ffmpeg.mp4" 2>&1 | tail -n 1)
  echo "round $round ffmpeg $t"
  for bin in "$@"; do
    t=$(/usr/bin/time -f "%e %U %S" "$bin" -q apply "$CLIP" -o "$DIR/ab-pikafx.mp4" --effect style/film \
      --preset veryfast --crf 23 --no-audio 2>&1 | tail -n 1)
    echo "round $round $bin $t"
  done
done
