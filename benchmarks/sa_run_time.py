"""Wall time of the main job, `sa_run --forget 0`, from an empty cache: with the shipped baseline and judge, and
retraining them.

Runs the real command in subprocesses, one after the other, each with its own empty cache (full MNIST, default settings,
figures included):
shipped: the baseline and the judge that ship with the package are used, so only the Fisher and the forgetting run;
retrain: `--retrain` trains the baseline and the judge first, as every first run did before they shipped.
Whether both give the same numbers says whether this machine retrains the shipped files bit for bit (another CPU may
round differently); the hashes of what it retrained are compared with the shipped ones.
Usage: python benchmarks/sa_run_time.py --data ../shared/data [--device cpu]
"""
import json, shutil, subprocess, tempfile, time
from pathlib import Path
import torch
from fastcore.script import call_parse

def timed_run(tmp, name, data, device, *extra):
    "Seconds, closing line and metrics of one `sa_run --forget 0` with an empty cache of its own."
    out, t = tmp/name, time.perf_counter()
    r = subprocess.run(['sa_run', '--forget', '0', '--data', data, '--cache', tmp/f'cache_{name}', '--out', out,
                        '--device', device, *extra],
                       capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(r.stderr)
    m = json.loads((out/'metrics.json').read_text())
    return time.perf_counter() - t, r.stdout.strip().split('; wrote')[0], {k: m[k] for k in ('before', 'after')}

def same_as_shipped(cache):
    "For the baseline and the judge retrained in `cache`: whether their weights are the shipped ones."
    from selective_amnesia.core import read_config
    from selective_amnesia.baseline import BASELINE
    from selective_amnesia.judge import PROJECT_JUDGE
    sha = lambda p: read_config(p)['sha256']
    return {kind: any(sha(p) == sha(shipped) for p in cache.glob(f'{kind}-*'))
            for kind, shipped in (('cvae', BASELINE), ('judge', PROJECT_JUDGE))}

@call_parse
def main(data:str='../shared/data', device:str='cpu'):
    tmp = Path(tempfile.mkdtemp())
    name = torch.cuda.get_device_name() if device.startswith('cuda') else f'CPU, {torch.get_num_threads()} threads'
    print(f'device: {name}; each run from an empty cache, one after the other')
    shipped, line_s, m_s = timed_run(tmp, 'shipped', data, device)
    retrain, line_r, m_r = timed_run(tmp, 'retrain', data, device, '--retrain')
    print(f'cold, shipped baseline and judge: {shipped:.0f} s (target <= 90 s)\n  {line_s}')
    print(f'cold, --retrain (trains baseline and judge): {retrain:.0f} s\n  {line_r}')
    print(f'shipped path {retrain/shipped:.1f}x faster; same metrics before and after forgetting: {m_s == m_r}; '
          f'retrained here bit for bit the shipped one: {same_as_shipped(tmp/"cache_retrain")}')
    shutil.rmtree(tmp)
