#!/usr/bin/env bash
# Checks that a plugin change that should not change what an effect renders
# (a refactor, a smaller dispatch such as the SDK's REGION) really does not:
# renders the effect with the plugins in OLD and in NEW on three generated
# clips (720p with a still textured background and a textured subject;
# 640x360 with a gradient; 640x360 with the subject running off the right
# edge), losslessly, and prints the lowest per-frame PSNR between the two
# (inf = identical frames).
#
#   scripts/same-output.sh OLD_DIR NEW_DIR kind/id [param=value ...]
#   scripts/same-output.sh /tmp/old target/plugins pikaffect/tear gap=1 angle=60
#
# Exits non-zero when any frame differs.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { sed -n 2,13p "$0"; exit 2; }
OLD=$1 NEW=$2 EFFECT=$3
shift 3
ID=${EFFECT#*/}
BIN=${PIKAFX_BIN:-target/release/pikafx}
WORK=target/same-output
mkdir -p "$WORK"
PARAMS=()
for kv in "$@"; do PARAMS+=(--param "$ID.$kv"); done

clip() { # name graph...
  [ -f "$WORK/$1.mp4" ] || ffmpeg -hide_banner -loglevel error -y "${@:2}" -c:v libx264 -preset veryfast -crf 18 \
    -pix_fmt yuv420p "$WORK/$1.mp4"
}
clip still-720p -f lavfi -i "testsrc2=s=1280x720:r=30:d=2" -f lavfi -i "testsrc2=s=360x360:r=30:d=2" -filter_complex \
  "[0]trim=end_frame=1,loop=loop=59:size=1:start=0,setpts=N/30/TB[bg];[1]drawbox=x=0:y=0:w=360:h=360:color=0xffa020:t=10[fg];[bg][fg]overlay=x='400+40*t':y=200"
clip gallery-360p -f lavfi -i "gradients=s=640x360:c0=0x1c3454:c1=0x5a7d96:x0=0:y0=0:x1=0:y1=300:seed=1:speed=0.00001:r=30:d=2" \
  -f lavfi -i "testsrc2=s=200x200:r=30:d=2" -filter_complex \
  "[0]drawbox=x=0:y=300:w=640:h=60:color=0x2a3a2a:t=fill[bg];[1]drawbox=x=0:y=0:w=200:h=200:color=0xffa020:t=6[fg];[bg][fg]overlay=x='210+15*t':y=80"
clip edge-360p -f lavfi -i "gradients=s=640x360:c0=0x3c2454:c1=0x5a9d76:x0=0:y0=0:x1=640:y1=0:seed=2:speed=0.00001:r=30:d=2" \
  -f lavfi -i "testsrc2=s=160x160:r=30:d=2" -filter_complex \
  "[1]drawbox=x=0:y=0:w=160:h=160:color=0xffa020:t=6[fg];[0][fg]overlay=x='440+60*t':y=170"

status=0
for name in still-720p gallery-360p edge-360p; do
  for side in old new; do
    dir=$OLD
    [ "$side" = new ] && dir=$NEW
    PIKAFX_PLUGIN_PATH=$dir PIKAFX_CACHE_DIR=$WORK/cache-$side "$BIN" -q apply "$WORK/$name.mp4" \
      -o "$WORK/$side-$name.mkv" --effect "$EFFECT" "${PARAMS[@]}" --no-audio --crf 0 --preset ultrafast
  done
  ffmpeg -hide_banner -loglevel error -i "$WORK/old-$name.mkv" -i "$WORK/new-$name.mkv" \
    -lavfi "[0][1]psnr=stats_file=$WORK/$name.psnr" -f null -
  worst=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^psnr_avg:/) { split($i, kv, ":"); print kv[2] } }' "$WORK/$name.psnr" |
    sort -g | head -1)
  if [ "$worst" = inf ]; then
    echo "$name: identical"
  else
    echo "$name: DIFFERS (lowest frame PSNR $worst dB)"
    status=1
  fi
done
exit $status
