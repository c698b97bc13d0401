"""The Fisher of the full-size CVAE on the same samples and noise, three ways, timed side by side:
the one-sample-at-a-time loop (the paper's code), torch.func (vmap over grad), and the linear-layer identity
that the package uses (one backward pass per batch).
Usage: python benchmarks/fisher.py [--n 2000]
"""
import time
import torch
from fastcore.script import call_parse
from torch.func import functional_call, grad, vmap
from selective_amnesia.fisher import fisher_diag, fisher_loop, model_samples
from selective_amnesia.model import CVAE, neg_elbo

def fisher_vmap(model, x, c, eps, bs=250):
    params = {k: v.detach() for k, v in model.named_parameters()}
    def loss(p, xi, ci, ei):
        return neg_elbo(lambda *a: functional_call(model, p, a), xi[None], ci[None], ei[None]).sum()
    per_ex = vmap(grad(loss), in_dims=(None, 0, 0, 0))
    tot = {k: torch.zeros_like(v) for k, v in params.items()}
    for i in range(0, len(x), bs):
        for k, g in per_ex(params, x[i:i+bs], c[i:i+bs], eps[i:i+bs]).items():
            tot[k] += g.pow(2).sum(0)
    return {k: v/len(x) for k, v in tot.items()}

def timed(f, *a):
    t = time.perf_counter()
    r = f(*a)
    return r, time.perf_counter() - t

@call_parse
def main(n:int=2000, bs:int=1000):
    torch.manual_seed(0)
    model = CVAE()
    x, c = model_samples(model, n, seed=0)
    eps = torch.randn(n, model.latent_dim)
    ref, t_loop = timed(fisher_loop, model, x, c, eps)
    fast, t_fast = timed(lambda: fisher_diag(model, x, c, eps, bs=bs))
    err = lambda f: max(((f[k] - ref[k]).norm()/ref[k].norm()).item() for k in ref)
    print(f'{n} samples, CVAE with {sum(p.numel() for p in model.parameters()):,} parameters, '
          f'{torch.get_num_threads()} threads')
    print(f'loop (one backward per sample): {t_loop:.2f} s')
    print(f'linear-layer identity (package): {t_fast:.3f} s, {t_loop/t_fast:.1f}x faster than the loop, '
          f'max rel. error {err(fast):.1e}')
    try:
        vm, t_vm = timed(fisher_vmap, model, x, c, eps)
        print(f'torch.func vmap(grad): {t_vm:.2f} s, {t_loop/t_vm:.2f}x the loop speed, max rel. error {err(vm):.1e}')
    except Exception as e:
        print(f'torch.func vmap(grad) could not run here ({type(e).__name__}: {str(e).splitlines()[0][:120]})')
