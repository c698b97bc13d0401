"""Wall time of the main job, `sa_run --forget 0`, from an empty cache and with a cached baseline and judge.

Runs the real command twice in subprocesses (full MNIST, default settings, figures included):
cold: nothing cached, so the baseline, the judge, the Fisher and the forgetting all run;
warm: the cache holds the baseline and judge from the cold run (the Fisher and the result are removed).
Usage: python benchmarks/sa_run_time.py --data ../shared/data [--device cpu]
"""
import shutil, subprocess, tempfile, time
from pathlib import Path
import torch
from fastcore.script import call_parse

def timed_run(cache, out, data, device):
    t = time.perf_counter()
    r = subprocess.run(['sa_run', '--forget', '0', '--data', data, '--cache', cache, '--out', out, '--device', device],
                       capture_output=True, text=True)
    if r.returncode: raise SystemExit(r.stderr)
    return time.perf_counter() - t, r.stdout.strip()

@call_parse
def main(data:str='../shared/data', device:str='cpu'):
    tmp = Path(tempfile.mkdtemp())
    name = torch.cuda.get_device_name() if device.startswith('cuda') else f'CPU, {torch.get_num_threads()} threads'
    cold, out = timed_run(tmp/'cache', tmp/'out1', data, device)
    print(f'device: {name}\ncold (trains baseline and judge): {cold:.0f} s\n  {out}')
    for p in (tmp/'cache').iterdir():
        if p.name.startswith(('fisher-', 'forgotten-')): shutil.rmtree(p)
    warm, out = timed_run(tmp/'cache', tmp/'out2', data, device)
    print(f'warm (baseline and judge cached): {warm:.0f} s\n  {out}')
    shutil.rmtree(tmp)
