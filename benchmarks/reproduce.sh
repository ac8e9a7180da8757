#!/usr/bin/env bash
# Reproduce benchmarks/RESULTS.md and the plot on a WCXB-layout folder in one command:
# linesift's cross-validated texts first, by models trained as the bundled ones are (on the folder
# plus fundus and magic-html beside it; models go to a scratch folder, the bundled ones stay), then
# every system.   Usage: bash benchmarks/reproduce.sh [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-${LINESIFT_DATA:-../shared/datasets/wcxb-dev}}"
sets="$(dirname "$data")"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cv=benchmarks/results/linesift-cv.jsonl
python3 training/train.py --modes html,text --data "$data" --data "$sets/fundus" --data "$sets/magic-html" \
    --out-dir "$scratch" --cv-out "$cv"
python3 benchmarks/run.py --data "$data"
