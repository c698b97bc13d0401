"""Wall time of the full evaluation of one forgotten model (`sa_robust`), with cached judges, baseline and oracle.

Uses the cache given (default SA_CACHE or runs/cache): it forgets 0 with the paper recipe (cached), makes sure the
baseline's and the oracle's results are cached, then times the command with only the forgotten model's results removed.
Also prints the recorded training times of the judges and the oracle (the `seconds` in their configs).
Usage: python benchmarks/robustness_time.py --data ../shared/data [--device cpu]
"""
import shutil, subprocess, tempfile, time
from pathlib import Path
import torch
from fastcore.script import call_parse
from selective_amnesia.core import default_cache, read_config
from selective_amnesia.model import load_mnist
from selective_amnesia.baseline import get_oracle
from selective_amnesia.judge import PAPER_JUDGE, PROJECT_JUDGE
from selective_amnesia.ood import OOD_JUDGE

def timed(*args):
    t = time.perf_counter()
    r = subprocess.run(list(map(str, args)), capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(r.stderr)
    return time.perf_counter() - t, r.stdout.strip().splitlines()[-1]

@call_parse
def main(data:str='../shared/data', device:str='cpu', cache:str=None):
    cache, out = Path(cache or default_cache()), Path(tempfile.mkdtemp())/'forget0'
    print(f'device: '
          f'{torch.cuda.get_device_name() if device.startswith("cuda") else f"CPU, {torch.get_num_threads()} threads"}')
    t, _ = timed('sa_run', '--forget', 0, '--data', data, '--cache', cache, '--out', out, '--device', device,
                 '--no_figures')
    first, _ = timed('sa_robust', '--run', out, '--data', data, '--cache', cache, '--device', device)
    sha = read_config(out/'model')['sha256']
    for p in cache.glob('robustness-*'):
        if read_config(p)['settings']['model'] == sha:
            shutil.rmtree(p)
    warm, line = timed('sa_robust', '--run', out, '--data', data, '--cache', cache, '--device', device)
    print(f'sa_robust, first call here: {first:.0f} s (measures whatever of baseline and oracle was not cached)')
    print(f'sa_robust, judges, baseline, oracle and their results cached: {warm:.0f} s (target <= 180 s)\n  {line}')
    oracle = get_oracle(cache, load_mnist(data), [0])
    for name, p in dict(paper_judge=PAPER_JUDGE, project_judge=PROJECT_JUDGE, ood_judge=OOD_JUDGE,
                        oracle_without_0=oracle).items():
        print(f'training time recorded for {name}: {read_config(p)["seconds"]:.0f} s '
              '(as saved in its config, whatever else shared the CPU then)')
    shutil.rmtree(out.parent)
