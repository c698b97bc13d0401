"""The sweep behind the methods' defaults (`03a_methods`, `12_which_method`): each method's knob at five values,
forgetting the same digits from the same cached baseline with the same 1,000 iterations, read on two quick measures of
the targets table (`11_instruments`): still the digit (%), the share of the forgotten label's samples the shapes judge
calls that digit, and kept nELBO change (nats), the largest rise over kept digits of the test images' negative ELBO.

The rule, the same for every method: among the settings with still the digit <= 1% (its target), the one with the
smallest kept nELBO change; where none gets there, the one with the lowest still the digit. The oracle and the paper
recipe are measured alongside for reference. Writes OUT/sweep.json (rewritten after every run) and prints the table.
Usage: python benchmarks/methods.py --data ../shared/data [--forget 0] [--cache runs/cache]
"""
import json, os
from pathlib import Path
import numpy as np, torch
import torch.nn.functional as F
from fastcore.script import call_parse
from selective_amnesia.core import atomic_write, check, get_device
from selective_amnesia.model import load_model, sample
from selective_amnesia.baseline import get_oracle
from selective_amnesia.judge import quantize
from selective_amnesia.ood import three_way
from selective_amnesia.evaluate import class_nelbo
from selective_amnesia.unlearn import Settings, forget_job
from common import clock, shared

# from EraseDiff's 0.1 and SalUn's README setting (about 0.3 in these units) up, for room
ALPHAS = (0.1, 1., 10., 100., 1000.)
GRID = dict(finetune=dict(lr=(1e-4, 3e-4, 1e-3, 3e-3, 1e-2)),
            **{m: dict(alpha=ALPHAS) for m in ('ascent', 'relabel', 'salun', 'erasediff')})

@torch.no_grad()
def parts(model, x, y):
    """Mean reconstruction (BCE, nats) and KL (nats) of the negative ELBO of images `x` (labels `y`), at the encoder's
    mean."""
    mu, logvar = model.encode(x, y)
    rec = F.binary_cross_entropy_with_logits(model.decode(mu, y), x, reduction='none').sum(1)
    return rec.mean().item(), (0.5*(mu.pow(2) + logvar.exp() - 1 - logvar).sum(1)).mean().item()

def quick(model, base_nelbo, data, forget, judges, n):
    """Still the digit (%) and kept nELBO change (nats) of `model`; and where its forgotten test images' negative ELBO
    sits: reconstruction and KL."""
    ood = judges['ood']
    still = np.mean([three_way(ood.net, quantize(sample(model, [c]*n, seed=c)), c, ood.threshold)['still']
                     for c in forget])
    nelbo = class_nelbo(model, data.x_test, data.y_test)
    gone = torch.isin(data.y_test, torch.tensor(forget, device=data.y_test.device))
    rec, kl = parts(model, data.x_test[gone], data.y_test[gone])
    return {'still the digit (%)': 100*float(still),
            'kept nELBO change (nats)': max(nelbo[c] - base_nelbo[c] for c in nelbo if c not in forget),
            'forgotten reconstruction (nats)': rec, 'forgotten KL (nats)': kl}

def best(rows):
    "The rule: still the digit <= 1% with the smallest kept nELBO change, else the lowest still the digit."
    ok = [r for r in rows if r['still the digit (%)'] <= 1]
    return (min(ok, key=lambda r: r['kept nELBO change (nats)']) if ok
            else min(rows, key=lambda r: r['still the digit (%)']))

@call_parse
def main(data:str='../shared/data', out:str='benchmarks/methods', cache:str='runs/cache', device:str='cpu',
         forget:str='0', n:int=1000):
    f, dev, out, say = list(check(forget=forget).forget), get_device(device), Path(out), clock()
    out.mkdir(parents=True, exist_ok=True)
    d, judges, _, base = shared(data, cache, dev)
    base_nelbo = class_nelbo(base, d.x_test, d.y_test)
    res = dict(forget=f, device=f'a {os.cpu_count()}-core CPU', n=n, rule=best.__doc__, rows=[])
    def add(row):
        res['rows'].append(row)
        atomic_write(out/'sweep.json', json.dumps(res, indent=1).encode())
        say(json.dumps(row))
    add(dict(method='baseline', **quick(base, base_nelbo, d, f, judges, n)))
    add(dict(method='oracle', **quick(load_model(get_oracle(cache, d, f), device=dev)[0], base_nelbo, d, f, judges, n)))
    for method, knobs in [('paper', {'lr': (1e-3,)}), *GRID.items()]:
        (knob, values), = knobs.items()
        for v in values:
            rec = forget_job(Settings(forget=f, recipe=method, **{knob: v}), data=d, cache=cache, device=dev)
            add(dict(method=method, knob=knob, value=v, seconds=rec.metrics['seconds'],
                     **quick(load_model(rec.path, device=dev)[0], base_nelbo, d, f, judges, n)))
    res['chosen'] = {m: best([r for r in res['rows'] if r['method'] == m]) for m in GRID}
    atomic_write(out/'sweep.json', json.dumps(res, indent=1).encode())
    print(f"forget {','.join(map(str, f))}: {'method':9} {'knob':5} {'value':>6} {'still the digit (%)':>20} "
          f"{'kept nELBO change (nats)':>25} {'seconds':>8}")
    for r in res['rows']:
        mark = '  <- chosen' if res['chosen'].get(r['method']) == r else ''
        print(f"{'':10}{r['method']:9} {r.get('knob', ''):5} {r.get('value', ''):>6} "
              f"{r['still the digit (%)']:20.1f} {r['kept nELBO change (nats)']:25.2f} "
              f"{r.get('seconds', float('nan')):8.0f}"
              f"   forgotten: reconstruction {r['forgotten reconstruction (nats)']:.0f}, "
              f"KL {r['forgotten KL (nats)']:.0f} nats{mark}")
