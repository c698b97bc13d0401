"""The full-scale tables of `11_instruments`: for the forget sets 0, 1, 8 and 3,5,8, the baseline, the paper, notebook and
robust recipes and the oracle retrained without the digits, every measure of that page, at full attack strength.

1. The step budget: every search with every attacker on the baseline and the paper recipe's model for 0, for up to
   `curve_steps` Adam steps; the budget is the first checkpoint within 1 point of the last on every curve.
2. Per forget set: the oracle, the three recipes (cached forgetting jobs), the baseline's references (noise band of the
   drift, its negative ELBO), then `instruments` on each model at that budget.
3. Membership for 0: `shadows` shadow CVAEs, then LiRA on each model of forget set 0.

Writes OUT/results.json (rewritten after every model, so a stopped run keeps what it measured) and
OUT/successes.safetensors (the successful images of each search's strongest attacker, as bytes).
Usage: python benchmarks/instruments.py --data ../shared/data --out benchmarks/instruments [--device cuda]
"""
import json, time
from pathlib import Path
import torch
from fastcore.script import call_parse
from safetensors.torch import save_file
from selective_amnesia.core import atomic_write, get_device
from selective_amnesia.model import load_mnist, load_model
from selective_amnesia.baseline import get_baseline, get_oracle
from selective_amnesia.unlearn import forget_job
from selective_amnesia.judges import load_judges
from selective_amnesia.instruments import ATTACK, DRIFT, MEMBERSHIP, budget_from_curves, elbo_scores, get_shadows, instruments, lira, membership, pool, reference, shadow_scores, strength

RECIPES = ('paper', 'notebook', 'robust')

@call_parse
def main(data:str='../shared/data', out:str='benchmarks/instruments', cache:str='runs/cache', device:str='auto',
         sets:str='0;8;1;3,5,8', curve_steps:int=600, shadows:int=MEMBERSHIP['shadows'], minutes:float=1e9,
         n:int=ATTACK['n'], drift_n:int=DRIFT['n'], min_budget:int=100, epochs:int=None, iters:int=None):  # the last five: smaller for a dry run
    small = dict(epochs=epochs) if epochs else {}
    t0, dev, out, cache = time.time(), get_device(device), Path(out), Path(cache)
    out.mkdir(parents=True, exist_ok=True)
    say = lambda msg: print(f'[{time.time() - t0:6.0f} s] {msg}', flush=True)
    name = torch.cuda.get_device_name() if dev.type == 'cuda' else f'CPU, {torch.get_num_threads()} threads'
    d, judges = load_mnist(data, dev), load_judges(device=dev)
    base = load_model(get_baseline(cache, d, **small), device=dev)[0]
    res = dict(device=name, data=d.source, attack=dict(ATTACK, n=n), drift_n=drift_n, shadows=shadows, sets={}, seconds={})
    shown = {}
    def save():
        res['seconds']['total'] = time.time() - t0
        atomic_write(out/'results.json', json.dumps(res, indent=1).encode())
        save_file({k: (v*255).round().to(torch.uint8).cpu().contiguous() for k, v in shown.items()}, out/'successes.safetensors')
    forget_sets = [[int(c) for c in s.split(',')] for s in sets.split(';')]
    models = {}
    for f in forget_sets:   # every model first: the oracle and the recipes
        key = ','.join(map(str, f))
        models[key] = dict(oracle=load_model(get_oracle(cache, d, f, **small), device=dev)[0],
                           **{r: load_model(forget_job(f, recipe=r, data=d, cache=cache, device=dev, **small, **(dict(iters=iters) if iters else {})).path,
                                                       device=dev)[0] for r in RECIPES})
        say(f'forget {key}: oracle and {", ".join(RECIPES)} ready')
    # 1. the step budget, from curves on the baseline and the paper recipe's model for the first set
    at = sorted({s for s in (0, 25, 50, 100, 200, 300, 400) if s < curve_steps} | {curve_steps})
    first = ','.join(map(str, forget_sets[0]))
    curves = {m: strength(mod, forget_sets[0], judges, base, n=n, steps=curve_steps, at=at)[0]
              for m, mod in dict(baseline=base, paper=models[first]['paper']).items()}
    budget = max(min_budget, budget_from_curves(curves.values()))
    res.update(curves=dict(forget=forget_sets[0], results=curves), budget=budget)
    res['seconds']['curves'] = time.time() - t0
    say(f'step budget from the curves: {budget}'); save()
    # 2. every model of every set at that budget
    for f in forget_sets:
        key = ','.join(map(str, f))
        ref, res['sets'][key] = reference(base, d, f, judges, drift_n=drift_n), {}
        res['sets'][key + ' band'] = ref['band']['band_pct']
        for m, mod in dict(baseline=base, **models[key]).items():
            if time.time() - t0 > 60*minutes: say('out of time: stopping'); save(); return
            t = time.time()
            r, imgs = instruments(mod, base, d, f, judges, ref, drift_n=drift_n, attack=dict(n=n, steps=budget, at=(0, budget)))
            res['sets'][key][m] = dict(r, seconds=time.time() - t)
            shown.update({f'{key}/{m}/{k}': v for k, v in imgs.items()})
            say(f"forget {key}, {m}: condition attack {r['strongest']['condition']['pct']:.1f}%, drift {r['drift_pct']:.1f}%"); save()
    # 3. membership for the first set
    if time.time() - t0 > 60*minutes: say('out of time: no membership'); save(); return
    dirs, masks = get_shadows(cache, d, forget_sets[0], shadows, **small)
    say(f'{shadows} shadows ready')
    x, y, member = pool(d, forget_sets[0])
    scores = shadow_scores(dirs, x, y)
    res['membership'] = {m: membership(lira(elbo_scores(mod, x, y), scores, masks), member)
                         for m, mod in dict(baseline=base, **models[first]).items()}
    say(f"membership: {json.dumps(res['membership'])}"); save()
