#!/usr/bin/env bash
# Draws assets/icon.png (256x256): a stack of flashcards with a green check
# on a blue rounded square. Needs ImageMagick. Run from the repository root.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
convert -size 256x256 radial-gradient:"#5b96e8"-"#1d4690" "$tmp/grad.png"
convert -size 256x256 xc:black -fill white -draw "roundrectangle 8,8 248,248 52,52" "$tmp/mask.png"
convert "$tmp/grad.png" "$tmp/mask.png" -alpha off -compose CopyOpacity -composite "$tmp/bg.png"
convert "$tmp/bg.png" \
  -fill "rgba(255,255,255,0.40)" -draw "translate 128,128 rotate -12 roundrectangle -70,-86 70,62 14,14" \
  -fill "#ffffff" -draw "translate 128,132 rotate 6 roundrectangle -70,-80 70,66 14,14" \
  -fill "#b7c9e8" -draw "translate 128,132 rotate 6 roundrectangle -48,-56 40,-44 5,5" \
  -fill "#b7c9e8" -draw "translate 128,132 rotate 6 roundrectangle -48,-32 24,-20 5,5" \
  -fill "#b7c9e8" -draw "translate 128,132 rotate 6 roundrectangle -48,-8 32,4 5,5" \
  -fill "#2fa866" -stroke white -strokewidth 6 -draw "circle 180,184 180,146" \
  -fill none -stroke white -strokewidth 11 -draw "polyline 161,185 175,199 200,170" \
  -depth 8 assets/icon.png
