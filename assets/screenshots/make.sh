#!/usr/bin/env bash
# Regenerates the README screenshots from the real app under Xvfb: Home,
# Session (a multiple-choice question answered, with its explanation),
# Statistics, and the editor, on a data folder with a seeded review history.
# Needs python3 and what ../shared/tools/screenshot.sh needs (Xvfb, xdotool,
# ImageMagick). Run from the repository root: assets/screenshots/make.sh
set -euo pipefail
cargo build --release
bin=target/release/recall
shot=${SCREENSHOT:-../shared/tools/screenshot.sh}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
python3 assets/screenshots/seed_history.py >"$data/history.csv"
$bin --data-dir "$data" import --reviews "$data/history.csv" >/dev/null
python3 - "$data/recall.sqlite3" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('welcome_seen', 'true')")
db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('theme', 'Dark')")
db.commit()
PY
out=assets/screenshots
take() { # name, then screenshot.sh options
  local name=$1; shift
  rm -f "$data/window.ron" "$data/recall.lock"
  "$shot" "$data/$name.png" --size 1280x800 --wait 3 "$@" -- "$bin" --data-dir "$data" >/dev/null
  convert "$data/$name.png" -crop 1100x760+0+0 +repage "$out/$name.png"
}
take home
take stats --keys "s"
# Weak areas starts on the weakest card of the weakest topic: a multiple-choice question.
take session --keys "w" --keys "2"
# The editor needs clicks: the learner's copy of Python for ML, its fourth
# question (a multiple choice with code). The positions are for 1280x800.
mkdir -p "$data/decks"
$bin --data-dir "$data" export --deck python-for-ml --format ron --out "$data/decks/python-for-ml.ron" >/dev/null
rm -f "$data/window.ron" "$data/recall.lock"
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  "$1" --data-dir "$2" >/dev/null 2>&1 & app=$!
  sleep 3; xdotool key d; sleep 1
  xdotool mousemove 490 139 click 1; sleep 1   # Edit, beside the copy
  xdotool mousemove 150 516 click 1; sleep 1   # question 4 in the list
  import -window root "$2/editor.png"; kill $app' _ "$bin" "$data"
convert "$data/editor.png" -crop 1100x760+0+0 +repage "$out/editor.png"
echo "wrote $out/home.png, stats.png, session.png, editor.png"
