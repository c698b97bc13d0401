#!/usr/bin/env bash
# What a user gets from `pip install`: in the virtual environment VENV (the package installed there from its wheel, no
# extras), print the versions pip resolved, run every console script's --help, then a tiny sa_run and sa_robust on the
# bundled subset, in an empty folder. Ends with "N passed, N failed"; exits 1 when anything failed.
# Usage: tools/check_install.sh VENV
set -uo pipefail
venv=${1:?usage: tools/check_install.sh VENV}
export PATH="$venv/bin:$PATH" MPLBACKEND=Agg
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
export SA_CACHE="$work/cache"
passed=0; failed=0
check() {  # check NAME COMMAND...: run it, count it, show its last line
  local name=$1; shift
  if out=$("$@" 2>&1); then passed=$((passed + 1)); echo "ok    $name: $(echo "$out" | tail -n 1 | cut -c1-150)"
  else failed=$((failed + 1)); echo "FAIL  $name:"; echo "$out" | tail -n 5; fi
}
python - <<'PY'
from importlib.metadata import version
names = ['selective_amnesia', 'torch', 'torchvision', 'fastcore', 'numpy', 'safetensors', 'scikit-learn', 'scipy',
         'matplotlib', 'fonttools', 'tqdm', 'pytorch-ood', 'prdc']
print('resolved: ' + ', '.join(f'{n} {version(n)}' for n in names))
PY
for tool in sa_train sa_judge sa_sample sa_run sa_robust; do check "$tool --help" "$tool" --help; done
tiny=(--iters 20 --epochs 1 --latent_dim 2 --hidden 64 32 --fisher_n 500 --n_eval 100 --data subset --device cpu)
check "tiny sa_run" sa_run --forget 2 "${tiny[@]}" --out run2
attack='{"n": 16, "steps": 10, "lr": 0.1, "p_min": 0.5}'
check "tiny sa_robust" sa_robust run2 --device cpu --attack "$attack" --drift_n 200 --relearn 10
check "sa_sample from the run" sa_sample --ckpt run2/model --label 3 --n 4 --out threes.npy
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
