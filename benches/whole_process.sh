#!/usr/bin/env bash
# The whole-process figures of the Performance table, on one data folder:
# start to first frame, peak RSS, idle CPU and database bytes per review.
#
# usage: benches/whole_process.sh [DATA_DIR]
#   DATA_DIR defaults to /tmp/corpus/data, which
#   `cargo run --release --example gen_corpus -- /tmp/corpus` writes.
# Runs target/release/recall (`cargo build --release` first) in a window
# under Xvfb for about 30 s, then closes it. Opening the folder takes
# today's backup and fills the deck cache, as any start does; the figures
# are those of a start with the deck cache filled, so run it twice on a new
# folder and read the second run.
set -euo pipefail
cd "$(dirname "$0")/.."

data=${1:-/tmp/corpus/data}
bin=target/release/recall
[[ -x $bin ]] || { echo "whole_process: no $bin; run cargo build --release" >&2; exit 2; }
[[ -d $data ]] || { echo "whole_process: no data folder $data" >&2; exit 2; }
command -v Xvfb >/dev/null || {
  echo "whole_process: needs Xvfb: apt-get install xvfb libgl1-mesa-dri" >&2
  exit 2
}

work=$(mktemp -d)
display=:$((200 + RANDOM % 500))
Xvfb "$display" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1

DISPLAY=$display RUST_LOG=recall=debug "$bin" --data-dir "$data" >"$work/log" 2>&1 &
app=$!
# CPU clock ticks (user + system) of the whole process, every thread ever
# started included; the name in field 2 may hold spaces, so cut it off.
ticks() { sed 's/.*) //' "/proc/$app/stat" | awk '{ print $12 + $13 }'; }
sleep 8
before=$(ticks)
sleep 20
after=$(ticks)
peak=$(awk '/^VmHWM/ { print $2 }' "/proc/$app/status")
kill "$app"
wait "$app" 2>/dev/null || true
app=

first=$(grep -o 'first frame drawn [0-9.]* ms' "$work/log" || echo 'no "first frame" line')
# Only when the opening screen was drawn first (the folder took longer to
# open than the window to appear): when the app itself came.
shown=$(grep -o 'the data folder shown [0-9.]* ms' "$work/log" || true)
reviews=$("$bin" --data-dir "$data" stats | grep -o 'in all: [0-9]*' | grep -o '[0-9]*$')
bytes=$(stat -c %s "$data/recall.sqlite3")
echo "start to first frame: ${first#first frame drawn }"
[[ -z $shown ]] || echo "the opening screen first; start to Home: ${shown#the data folder shown }"
echo "peak RSS (VmHWM): $peak kB, $(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }') MiB"
echo "idle CPU: $((after - before)) clock ticks over 20 s"
if ((reviews > 0)); then
  echo "database: $bytes bytes, $reviews reviews, $(awk -v b="$bytes" -v r="$reviews" 'BEGIN { printf "%.1f", b / r }') bytes per review"
else
  echo "database: $bytes bytes, no reviews"
fi
