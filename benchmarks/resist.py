"""Candidates for forgetting that resists relearning, on one forget set (3,5,8 by default), where every recipe's digits
come back from 100 real images within the relearning budget and the oracle's do not. Each candidate adds one term to a
recipe's forgetting step (default `guard`), then the forgotten model is fine-tuned on 10 and 100 real images per digit,
as the relearning rows of `11_instruments` do, and the steps until the shipped OOD judge reads half its samples as the
digit are kept.

The term, at each forgetting iteration: the forgetting term's gradient taken at perturbed weights (first order: its
value at those weights is added, its gradient applied at the current ones), the weights moved by `rho` (L2 norm over all
weights)
  - `sam`: along the ascent direction of the forgetting term itself (sharpness-aware forgetting);
  - `relearn`: along one step of relearning, the descent direction of the negative ELBO of the frozen original's own
    drawings of the forgotten digits (no real image of them; a first-order simulation of the attacker, as
    meta-unlearning does);
  - `relearn-sign`: the same step as Adam's first step takes it, `rho` per weight along the gradient's sign;
  - `weight`: no second batch and no move: the recipe's own forgetting term counted `beta` more times (free in time);
  - `none`: the recipe as it is, the control.
At `rho` 0 nothing moves: the term is the forgetting term once more, on a fresh batch of surrogates (the control for the
move). The candidate is one more part of the recipe (`Resist`); a candidate that wins becomes a recipe in
`03_unlearn`.

Appends one JSON line per candidate to OUT/results.jsonl.
Usage: python benchmarks/resist.py --data ../shared/data --mode sam --rho 0.05
"""
import json, time
from dataclasses import dataclass
from pathlib import Path
import torch
from fastcore.script import call_parse
import selective_amnesia.unlearn as U
from selective_amnesia.core import SAError, friendly_errors
from selective_amnesia.model import load_mnist, load_model, neg_elbo
from selective_amnesia.baseline import get_baseline
from selective_amnesia.judges import load_judges
from selective_amnesia.relearn import relearn, relearn_images, steps_to
from selective_amnesia.instruments import RELEARN_KS

MODES = ('none', 'weight', 'sam', 'relearn', 'relearn-sign')


@dataclass
class Resist(U.Part):
    "One more term for the forgetting step: `beta` times the forgetting term at weights moved by `rho` as `mode` says."
    mode: str = 'none'
    rho: float = 0.
    beta: float = 1.

    def terms(self, run, nll, terms):
        if self.mode == 'none':
            return
        if self.mode == 'weight':
            return terms.add('forget', self.beta*terms.values['forget'])
        lf, gf = self.moved_term(run)
        terms.values['forget'] = terms.values['forget'] + self.beta*lf.detach()
        terms.loss = terms.loss + self.beta*sum((p*x.detach()).sum() for p, x in zip(run.params.values(), gf))

    def moved_term(self, run):
        "The forgetting term on a fresh surrogate batch at the moved weights, and its gradient there."
        n, g, gone, model, params = run.settings.batch_size, run.g, run.gone, run.model, run.params
        c = model.onehot(gone[torch.randint(len(gone), (n,), generator=g, device=gone.device)])
        with torch.no_grad():
            z = torch.randn(n, run.frozen.latent_dim, generator=g, device=gone.device)
            xf = torch.bernoulli(run.frozen.pixels(z, c), generator=g)   # the original's drawings of them
        xs = U.surrogate_images(run.settings.knobs['surrogate'], n, g, gone.device)
        cs = U.surrogate_conditions(gone, n, g, model.n_classes)
        if self.mode == 'sam':
            d = [-x for x in torch.autograd.grad(neg_elbo(model, xs, cs).sum(), list(params.values()))]
        else:
            d = torch.autograd.grad(neg_elbo(model, xf, c).mean(), list(params.values()))
        if self.mode == 'relearn-sign':
            move = [self.rho*x.sign() for x in d]
        else:
            norm = torch.sqrt(sum(x.pow(2).sum() for x in d))
            move = [self.rho*x/norm for x in d]
        held = [p.data for p in params.values()]
        for p, m in zip(params.values(), move):
            p.data = p.data - m
        lf = neg_elbo(model, xs, cs).sum()
        gf = torch.autograd.grad(lf, list(params.values()))
        for p, h in zip(params.values(), held):
            p.data = h
        return lf, gf


@call_parse
def main(data:str='../shared/data', cache:str='runs/cache', out:str='benchmarks/resist', forget:str='3,5,8',
         recipe:str='guard',
         mode:str='sam', rho:float=0.05, beta:float=1., iters:int=U.ITERS, seed:int=0):
    with friendly_errors():
        if mode not in MODES:
            raise SAError(f"--mode: unknown {mode!r}; choose from {', '.join(MODES)}")
        if rho < 0:
            raise SAError(f'--rho {rho}: a distance, 0 or more (0: no move, the control for it)')
        if recipe not in U.RECIPES:
            raise SAError(f"--recipe {recipe}: a Selective Amnesia recipe is needed, one of {', '.join(U.RECIPES)}")
        probe = f'{recipe}+{mode}'   # the recipe with the candidate's term as one more part: a row, not a branch
        U.ALL_RECIPES[probe] = U.Recipe(*U.RECIPES[recipe].parts, Resist(mode, rho, beta))
        s = U.Settings(forget=forget.split(','), recipe=probe, iters=iters, seed=seed)
    F, out = list(s.forget), Path(out)
    d = load_mnist(data)
    bd = get_baseline(cache, d)
    base = load_model(bd)[0]
    fish = U.load_fisher(U.fisher_for(s, cache, bd, d), bd, 'cpu')
    t = time.time()
    model, hist = U.forget(base, s, fisher=fish, data=d, progress=True)
    secs, judges, res = time.time() - t, load_judges(['ood']), {}
    for k in RELEARN_KS:
        c = relearn(model, *relearn_images(d, F, k, s.seed), judges, F, seed=s.seed)
        res[str(k)] = [steps_to(c, 'ood', 0.5), [round(v, 2) for v in c['ood'][::4]]]
    line = dict(forget=F, recipe=recipe, iters=s.iters, mode=mode, rho=rho, beta=beta, seed=s.seed,
                forget_s=round(secs), relearn=res)
    out.mkdir(parents=True, exist_ok=True)
    with open(out/'results.jsonl', 'a') as fh:
        fh.write(json.dumps(line) + '\n')
    print(json.dumps(line))
