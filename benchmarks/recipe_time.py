"""Wall time of forgetting 0 with each recipe and each other method (`03a_methods`), side by side in one run (full MNIST
baseline and Fisher from the cache).

Each recipe runs the default 1,000 iterations from the same cached baseline, one after the other, on the same threads.
Usage: python benchmarks/recipe_time.py --data ../shared/data [--cache runs/cache] [--iters 1000] [--out benchmarks/methods/time.json]
"""
import json, time
from pathlib import Path
import torch
from fastcore.script import call_parse
from selective_amnesia.core import atomic_write, default_cache
from selective_amnesia.model import load_mnist, load_model
from selective_amnesia.baseline import get_baseline
from selective_amnesia.fisher import get_fisher, load_fisher
from selective_amnesia.unlearn import RECIPES, forget
from selective_amnesia.methods import METHODS

@call_parse
def main(data:str='../shared/data', cache:str=None, iters:int=1000, recipes:str=','.join(['paper', 'notebook', 'robust', 'distill', 'guard', 'deep', *METHODS]), out:str=None):  # out: also write the times as JSON
    cache, d = cache or default_cache(), load_mnist(data)
    base_dir = get_baseline(cache, d)
    base, _ = load_model(base_dir)
    times = {}
    for name in recipes.split(','):
        r = RECIPES.get(name)   # None: a method, which needs no Fisher
        fish = r and load_fisher(get_fisher(cache, base_dir, r.fisher, d, classes=[0] if r.fisher == 'data' else None), base_dir)
        t = time.perf_counter()
        forget(base, fish, [0], recipe=name, iters=iters, data=d, progress=False)
        times[name] = time.perf_counter() - t
    setting = f'forgetting 0, {iters:,} iterations, CPU, {torch.get_num_threads()} thread(s) (Fisher cached, not timed)'
    if out: atomic_write(Path(out), json.dumps(dict(setting=setting, seconds=times), indent=1).encode())
    print(setting)
    for name, t in times.items(): print(f'{name:9} {t:6.1f} s   {t/times["paper"]:.2f}x the paper recipe')
