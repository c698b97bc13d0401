"""Candidates for forgetting that resists relearning, on one forget set (3,5,8 by default), where every recipe's digits come
back from 100 real images within the relearning budget and the oracle's do not. Each candidate adds one term to a recipe's
forgetting step (default `guard`), then the forgotten model is fine-tuned on 10 and 100 real images per digit, as the
relearning rows of `11_instruments` do, and the steps until the shipped OOD judge reads half its samples as the digit are kept.

The term, at each forgetting iteration: the forgetting term's gradient taken at perturbed weights (first order: its value at
those weights is added, its gradient applied at the current ones), the weights moved by `rho` (L2 norm over all weights)
  - `sam`: along the ascent direction of the forgetting term itself (sharpness-aware forgetting);
  - `relearn`: along one step of relearning, the descent direction of the negative ELBO of the frozen original's own drawings
    of the forgotten digits (no real image of them; a first-order simulation of the attacker, as meta-unlearning does);
  - `relearn-sign`: the same step as Adam's first step takes it, `rho` per weight along the gradient's sign;
  - `weight`: no second batch and no move: the recipe's own forgetting term counted `beta` more times (free in time);
  - `none`: the recipe as it is, the control.
At `rho` 0 nothing moves: the term is the forgetting term once more, on a fresh batch of surrogates (the control for the move).
This probes the recipe through `unlearn.recipe_loss` (wrapped for the run): a candidate that wins becomes a recipe in `03_unlearn`.

Appends one JSON line per candidate to OUT/results.jsonl.
Usage: python benchmarks/resist.py --data ../shared/data --mode sam --rho 0.05
"""
import json, time
from pathlib import Path
import torch
from fastcore.script import call_parse
import selective_amnesia.unlearn as U
from selective_amnesia.core import SAError, check, friendly_errors
from selective_amnesia.model import load_mnist, load_model, neg_elbo
from selective_amnesia.baseline import get_baseline
from selective_amnesia.fisher import get_fisher
from selective_amnesia.judges import load_judges
from selective_amnesia.relearn import relearn, relearn_images, steps_to
from selective_amnesia.instruments import RELEARN_KS

MODES = ('none', 'weight', 'sam', 'relearn', 'relearn-sign')

def with_term(loss_fn, mode, rho, beta):
    "`loss_fn` (a recipe's step loss) plus `beta` times the forgetting term at weights moved by `rho` as `mode` says."
    def step_loss(r, model, frozen, kind, gone, kept, n, g, *args, **kw):
        out = loss_fn(r, model, frozen, kind, gone, kept, n, g, *args, **kw)
        if mode == 'none': return out
        if mode == 'weight': return (out[0] + beta*out[1], (1 + beta)*out[1].detach(), *out[2:])
        params = dict(model.named_parameters())
        c = model.onehot(gone[torch.randint(len(gone), (n,), generator=g, device=gone.device)])
        with torch.no_grad():
            z = torch.randn(n, frozen.latent_dim, generator=g, device=gone.device)
            xf = torch.bernoulli(frozen.pixels(z, c), generator=g)   # the frozen original's drawings of the forgotten digits
        xs, cs = U.surrogate_images(kind, n, g, gone.device), U.surrogate_conditions(gone, n, g, model.n_classes)
        if mode == 'sam': d = [-x for x in torch.autograd.grad(neg_elbo(model, xs, cs).sum(), list(params.values()))]
        else: d = torch.autograd.grad(neg_elbo(model, xf, c).mean(), list(params.values()))
        if mode == 'relearn-sign': move = [rho*x.sign() for x in d]
        else:
            norm = torch.sqrt(sum(x.pow(2).sum() for x in d)); move = [rho*x/norm for x in d]
        held = [p.data for p in params.values()]
        for p, m in zip(params.values(), move): p.data = p.data - m
        lf = neg_elbo(model, xs, cs).sum()
        gf = torch.autograd.grad(lf, list(params.values()))
        for p, h in zip(params.values(), held): p.data = h
        extra = beta*sum((p*x.detach()).sum() for p, x in zip(params.values(), gf))
        return (out[0] + extra, out[1] + beta*lf.detach(), *out[2:])
    return step_loss

@call_parse
def main(data:str='../shared/data', cache:str='runs/cache', out:str='benchmarks/resist', forget:str='3,5,8', recipe:str='guard',
         mode:str='sam', rho:float=0.05, beta:float=1., iters:int=U.ITERS, seed:int=0):
    with friendly_errors():
        if mode not in MODES: raise SAError(f"--mode: unknown {mode!r}; choose from {', '.join(MODES)}")
        if rho < 0: raise SAError(f'--rho {rho}: a distance, 0 or more (0: no move, the control for it)')
        a = check(forget=forget.split(','), recipe=recipe, iters=iters, seed=seed)
        if a.recipe not in U.RECIPES: raise SAError(f"--recipe {a.recipe}: a Selective Amnesia recipe is needed, one of {', '.join(U.RECIPES)}")
    F, out = list(a.forget), Path(out)
    d = load_mnist(data)
    bd = get_baseline(cache, d); base = load_model(bd)[0]
    r = U.RECIPES[a.recipe]
    fish = U.load_fisher(get_fisher(cache, bd, r.fisher, d, classes=F if r.fisher == 'data' else None, n=U.FISHER_N), bd, 'cpu')
    U.recipe_loss = with_term(U.recipe_loss, mode, rho, beta)
    t = time.time()
    model, hist = U.forget(base, fish, F, recipe=a.recipe, data=d, iters=a.iters, seed=a.seed, progress=True)
    secs, judges, res = time.time() - t, load_judges(['ood']), {}
    for k in RELEARN_KS:
        c = relearn(model, *relearn_images(d, F, k, a.seed), judges, F, seed=a.seed)
        res[str(k)] = [steps_to(c, 'ood', 0.5), [round(v, 2) for v in c['ood'][::4]]]
    line = dict(forget=F, recipe=a.recipe, iters=a.iters, mode=mode, rho=rho, beta=beta, seed=a.seed, forget_s=round(secs), relearn=res)
    out.mkdir(parents=True, exist_ok=True)
    with open(out/'results.jsonl', 'a') as fh: fh.write(json.dumps(line) + '\n')
    print(json.dumps(line))
