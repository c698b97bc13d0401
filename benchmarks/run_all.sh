#!/usr/bin/env bash
# Run every benchmark, one after the other (nothing else should share the machine), and write their output
# to benchmarks/RESULTS.md. Usage: bash benchmarks/run_all.sh [MNIST root, default ../shared/data] [device, default cpu]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data}; device=${2:-cpu}
out=benchmarks/RESULTS.md
{
  echo "# Benchmark results"; echo
  echo "Made by \`bash benchmarks/run_all.sh\` on $(date -u +%Y-%m-%d): $(nproc) CPU cores, torch $(python -c 'import torch; print(torch.__version__)'), device $device."
  for b in "data_pipeline.py --data $data" "fisher.py" "sa_run_time.py --data $data --device $device" "robustness_time.py --data $data --device $device" "recipe_time.py --data $data"; do
    echo; echo "## ${b%% *}"; echo; echo '```'; python benchmarks/$b 2>&1 || echo "(failed)"; echo '```'
  done
} > "$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
