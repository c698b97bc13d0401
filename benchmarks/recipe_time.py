"""Wall time of forgetting 0 with each recipe and each other method (`03a_methods`), side by side in one run (full MNIST
baseline and Fisher from the cache).

Each recipe runs the default 1,000 iterations from the same cached baseline, one after the other, on the same threads.
`--repeats K` runs the whole list K times in turn and reports each recipe's median time, and the range of its ratio to
the paper recipe over the K rounds (each round's time over that round's paper time): how far the ratios move between
runs. Usage: python benchmarks/recipe_time.py --data ../shared/data [--cache runs/cache] [--iters 1000] [--repeats 1]
[--out benchmarks/methods/time.json]
"""
import json, statistics, time
from pathlib import Path
import torch
from fastcore.script import call_parse
from selective_amnesia.core import SAError, atomic_write, default_cache, friendly_errors
from selective_amnesia.model import load_mnist, load_model
from selective_amnesia.baseline import get_baseline
from selective_amnesia.fisher import load_fisher
from selective_amnesia.unlearn import ALL_RECIPES, Settings, fisher_for, forget
from selective_amnesia.methods import METHODS

@call_parse
def main(data:str='../shared/data', cache:str=None, iters:int=1000,
         recipes:str=','.join(['paper', 'notebook', 'robust', 'distill', 'guard', 'deep', *METHODS]),
         repeats:int=1, out:str=None):  # out: also write the times as JSON
    names = recipes.split(',')
    with friendly_errors():
        if bad := [r for r in names if r not in ALL_RECIPES]:
            raise SAError(f"--recipes: unknown {', '.join(bad)}; choose from {', '.join(ALL_RECIPES)}")
        if 'paper' not in names:
            raise SAError('--recipes: the times are ratios to the paper recipe: add paper')
        if repeats < 1:
            raise SAError(f'--repeats {repeats}: a whole number of rounds, 1 or more')
    cache, d = cache or default_cache(), load_mnist(data)
    base_dir = get_baseline(cache, d)
    base, _ = load_model(base_dir)
    runs = {name: [] for name in names}
    for k in range(repeats):
        for name in names:
            s = Settings(forget=[0], recipe=name, iters=iters)
            fish = fisher_for(s, cache, base_dir, d)   # None where the recipe weighs by no Fisher
            fisher = fish and load_fisher(fish, base_dir)
            t = time.perf_counter()
            forget(base, s, fisher=fisher, data=d, progress=False)
            runs[name].append(time.perf_counter() - t)
        if repeats > 1:
            print(f'round {k + 1} of {repeats}: ' + ', '.join(f'{n} {v[-1]:.1f} s' for n, v in runs.items()),
                  flush=True)
    times = {n: statistics.median(v) for n, v in runs.items()}
    setting = (f'forgetting 0, {iters:,} iterations, CPU, {torch.get_num_threads()} thread(s) '
               '(Fisher cached, not timed)' + (f', median of {repeats} rounds' if repeats > 1 else ''))
    if out:
        atomic_write(Path(out), json.dumps(dict(setting=setting, seconds=times,
                                                **({'runs': runs} if repeats > 1 else {})), indent=1).encode())
    print(setting)
    for name, t in times.items():
        ratios = [a/p for a, p in zip(runs[name], runs['paper'])]
        print(f'{name:9} {t:6.1f} s   {t/times["paper"]:.2f}x the paper recipe'
              + (f' (rounds: {min(ratios):.2f}x to {max(ratios):.2f}x)' if repeats > 1 else ''))
