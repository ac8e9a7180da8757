#!/usr/bin/env bash
# Reproduce benchmarks/RESULTS.md and the plot on a WCXB-layout folder in one command:
# linesift's cross-validated texts first (models go to a scratch folder, the bundled ones stay),
# then every system.   Usage: bash benchmarks/reproduce.sh [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-${LINESIFT_DATA:-../shared/datasets/wcxb-dev}}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
python3 training/train.py --data "$data" --out-dir "$scratch" --cv-out benchmarks/results/linesift-cv.jsonl
python3 benchmarks/run.py --data "$data"
