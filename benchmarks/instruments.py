"""The full-scale tables of `11_instruments`: for the forget sets 0, 1, 8 and 3,5,8, the baseline, the paper, notebook
and robust recipes and the oracle retrained without the digits, every measure of that page, at full attack strength.

1. The step budget: every search with every attacker on the baseline and the paper recipe's model for 0, for up to
   `curve_steps` Adam steps; the budget is the first checkpoint within 1 point of the last on every curve.
2. Per forget set: the oracle, the recipes (`--recipes`: cached forgetting jobs; the methods of `03a_methods` with the
   knobs `benchmarks/methods.py` chose, `--chosen`), the baseline's references (noise band of the
   drift, its negative ELBO), then `instruments` on each model at that budget.
3. Membership for the first forget set: `shadows` shadow CVAEs, then LiRA on each of its models (`--shadows 0`: skipped,
   and what an earlier run measured is kept; `--membership_from DIR`: what DIR measured on the same models is kept,
   whatever its judges, as LiRA reads no judge).

`--sequence`: the forget sets are steps of one sequence (`0,1;0,1,2` ...: each digit forgotten in the order written,
each step from the model before, as `forget_sequence` does), and a recipe's model for a set is the sequence's model
after its last digit; the oracle is retrained without all of them. The baseline is not measured again (the single sets
have it).

Writes OUT/results.json (rewritten after every model, so a stopped run keeps what it measured) and
OUT/successes.safetensors (the successful images of each search's strongest attacker, as bytes).
Usage: python benchmarks/instruments.py --data ../shared/data --out benchmarks/instruments [--device cuda]
       python benchmarks/instruments.py --sequence --sets "0,1,2,3,4;0,1" --recipes paper,robust,distill --budget 300
           --shadows 0 --out benchmarks/sequence
"""
import json, os, time
from pathlib import Path
import torch
from fastcore.script import call_parse
from safetensors.torch import load_file, save_file
from selective_amnesia.core import SAError, atomic_write, check, friendly_errors, get_device
from selective_amnesia.model import load_model
from selective_amnesia.baseline import get_oracle
from selective_amnesia.unlearn import ALL_RECIPES, Settings, forget_job
from selective_amnesia.sequential import forget_sequence
from selective_amnesia.judges import fingerprints
from selective_amnesia.strength import ATTACK, budget_from_curves, strength, strongest
from selective_amnesia.lira import MEMBERSHIP, elbo_scores, get_shadows, lira, membership, pool, shadow_scores
from selective_amnesia.instruments import DRIFT, instruments, reference
from common import earlier, shared

def check_args(recipes, sets, chosen, merge, sequence=False):
    "The recipes and forget sets, checked before any work, with a one-line error naming what was wrong."
    recipes = recipes.split(',')
    bad = [r for r in recipes if r not in ALL_RECIPES]
    if bad:
        raise SAError(f"--recipes: unknown {', '.join(bad)}; choose from {', '.join(ALL_RECIPES)}")
    if chosen and not Path(chosen).is_file():
        raise SAError(f'--chosen {chosen} is not a file: give the sweep.json that benchmarks/methods.py wrote')
    if merge and not (Path(merge)/'results.json').is_file():
        raise SAError(f'--merge {merge} holds no results.json: give a folder this script wrote')
    if sequence:
        return recipes, [list(check(order=f.split(',')).order) for f in sets.split(';')]   # in the order written
    return recipes, [list(check(forget=f.split(',')).forget) for f in sets.split(';')]

@call_parse
def main(data:str='../shared/data', out:str='benchmarks/instruments', cache:str='runs/cache', device:str='auto',
         sets:str='0;8;1;3,5,8', curve_steps:int=600, shadows:int=MEMBERSHIP['shadows'], minutes:float=1e9,
         n:int=ATTACK['n'], drift_n:int=DRIFT['n'], min_budget:int=100,
         epochs:int=None, iters:int=None,  # these five: smaller for a dry run
         budget:int=None,
         merge:str=None,  # a step budget instead of the curves; a results folder of another run to merge in
         recipes:str='paper,notebook,robust',
         # the forgetting recipes or methods; a sweep.json of benchmarks/methods.py whose chosen knobs the methods use
         chosen:str=None,
         sequence:bool=False,  # the sets are steps of one sequence (see above)
         # a results folder whose membership to keep: judge-free, so it holds across a change of judges
         membership_from:str=None):
    with friendly_errors():
        recipes, forget_sets = check_args(recipes, sets, chosen, merge, sequence)
        if membership_from and not (Path(membership_from)/'results.json').is_file():
            raise SAError(f'--membership_from {membership_from} holds no results.json: give a folder this script wrote')
        if sequence and not budget:
            raise SAError('--sequence measures at a given step budget: give --budget (the single sets chose 300)')
    knobs = ({m: {r['knob']: r['value']} for m, r in json.loads(Path(chosen).read_text())['chosen'].items()}
             if chosen else {})
    small = dict(epochs=epochs) if epochs else {}
    t0, dev, out, cache = time.time(), get_device(device), Path(out), Path(cache)
    out.mkdir(parents=True, exist_ok=True)
    say = lambda msg: print(f'[{time.time() - t0:6.0f} s] {msg}', flush=True)
    name = torch.cuda.get_device_name() if dev.type == 'cuda' else f'a {os.cpu_count()}-core CPU'
    d, judges, base_dir, base = shared(data, cache, dev, **small)
    res = dict(device=name, data=d.source, judges=fingerprints(judges), attack=dict(ATTACK, n=n), drift_n=drift_n,
               shadows=shadows, sets={}, seconds=[],
               **({'sequence': True} if sequence else {}))
    prev = earlier(out, res, ('data', 'judges', 'attack', 'drift_n'))
    resume = bool(prev)   # keep what the earlier run with these settings and judges measured
    shown = ({k: v.float()/255 for k, v in load_file(out/'successes.safetensors').items()}
             if resume and (out/'successes.safetensors').exists() else {})
    if resume:
        res.update({k: prev[k] for k in ('sets', 'curves', 'budget') if k in prev}, seconds=prev['seconds'])
    this = {}
    res['seconds'].append(this)   # this run's seconds, after the earlier runs'
    if resume and 'membership' in prev and shadows in (0, prev['shadows']):
        res['membership'] = prev['membership']   # not against another number of shadows
    if not budget and 'budget' in res and 'curves' not in res:
        budget = res['budget']   # the budget the resumed run was given
    # resuming keeps its curves, whatever the sets' order
    curves_due = not budget and ('curves' not in res
                                 or res['curves']['results']['baseline']['latent/paper']['step'][-1] != curve_steps)
    if curves_due and 'paper' not in recipes:
        with friendly_errors():
            raise SAError(f'the step budget comes from curves on the paper recipe (forget {forget_sets[0]}, '
                          f'--curve_steps {curve_steps}): add paper to --recipes, or give --budget'
                          + (f" ({res['budget']} in {out})" if 'budget' in res else ''))
    def save():
        this['total'] = time.time() - t0
        atomic_write(out/'results.json', json.dumps(res, indent=1).encode())
        save_file({k: (v*255).round().to(torch.uint8).cpu().contiguous() for k, v in shown.items()},
                  out/'successes.safetensors')
    # LiRA reads the models' ELBO and the shadows, no judge: what another run measured on the same models holds here
    if membership_from:
        other = json.loads((Path(membership_from)/'results.json').read_text())
        on = [k for k, v in other['sets'].items() if isinstance(v, dict) and any('membership' in r for r in v.values())]
        with friendly_errors():
            if (other['data'] != res['data'] or other.get('shadows') != shadows
                    or on != [','.join(map(str, forget_sets[0]))]):
                raise SAError(f'--membership_from {membership_from}: measured on other data, shadows or forget set '
                              f'({on}); give a run on {res["data"]} with --shadows {shadows} whose membership is on '
                              'the first of --sets')
        res['membership'] = {**other['membership'], **res.get('membership', {})}
    # this run's sets as another run measured them with the same settings (run side by side, one thread each)
    if merge:
        other = json.loads((Path(merge)/'results.json').read_text())
        mine = {','.join(map(str, f)) for f in forget_sets}
        other['sets'] = {k: v for k, v in other['sets'].items() if k.removesuffix(' band') in mine}
        assert all(other[k] == json.loads(json.dumps(res[k])) for k in ('data', 'judges', 'attack', 'drift_n')), \
            'the run to merge used other settings or judges'
        res['sets'] = {k: {**other['sets'].get(k, {}), **res['sets'].get(k, {})} if not k.endswith(' band') else v
                       for k, v in {**other['sets'], **res['sets']}.items()}
        plain = lambda r: {k: v for k, v in r.items() if k != 'merged_from'}
        res['seconds'][:0] = [dict(r, merged_from=merge) for r in other['seconds']
                              if plain(r) not in map(plain, res['seconds'])]   # merging again adds nothing twice
        res['membership'] = {**other.get('membership', {}), **res.get('membership', {})}
        shown.update({k: v.float()/255 for k, v in load_file(Path(merge)/'successes.safetensors').items()
                      if k.split('/')[0] in mine})
        say(f"merged {', '.join(k for k in other['sets'] if not k.endswith(' band'))} from {merge}")
        save()
    models, more, names = ({}, dict(iters=iters) if iters else {},
                           ([] if sequence else ['baseline']) + ['oracle', *recipes])
    def recipe_dir(f, r):
        if sequence:
            return forget_sequence(cache, base_dir, f, d, Settings(recipe=r, **knobs.get(r, {}), **more))[-1]
        s = Settings(forget=f, recipe=r, **small, **knobs.get(r, {}), **more)
        return forget_job(s, data=d, cache=cache, device=dev).path
    def set_models(f):   # trained (or read from the cache) only when a set still has something to measure
        key = ','.join(map(str, f))
        if key not in models:
            models[key] = dict(baseline=base, oracle=load_model(get_oracle(cache, d, f, **small), device=dev)[0],
                               **{r: load_model(recipe_dir(f, r), device=dev)[0] for r in recipes})
            say(f'forget {key}: oracle and {", ".join(recipes)} ready')
        return models[key]
    # 1. the step budget, from curves on the baseline and the paper recipe's model for the first set
    at = sorted({s for s in (0, 25, 50, 100, 200, 300, 400) if s < curve_steps} | {curve_steps})
    first = ','.join(map(str, forget_sets[0]))
    if budget:
        res['budget'] = budget
    elif curves_due:
        curves = {m: strength(mod, forget_sets[0], judges, base, n=n, steps=curve_steps, at=at)[0]
                  for m, mod in dict(baseline=base, paper=set_models(forget_sets[0])['paper']).items()}
        res.update(curves=dict(forget=forget_sets[0], results=curves),
                   budget=max(min_budget, budget_from_curves(curves.values())))
        this['curves'] = time.time() - t0
    budget = res['budget']
    say(f'step budget: {budget}')
    save()
    # 2. every model of every set at that budget
    for f in forget_sets:
        key = ','.join(map(str, f))
        todo = [m for m in names if m not in res['sets'].get(key, {})]
        if not todo:
            continue
        mods = set_models(f)
        ref = reference(base, d, f, judges, drift_n=drift_n)
        res['sets'].setdefault(key, {})
        res['sets'][key + ' band'] = ref['band']['band_pct']
        for m in todo:
            if time.time() - t0 > 60*minutes:
                say('out of time: stopping')
                save()
                return
            t = time.time()
            r, imgs = instruments(mods[m], base, d, f, judges, ref, drift_n=drift_n,
                                  attack=dict(n=n, steps=budget, at=(0, budget)))
            res['sets'][key][m] = dict(r, seconds=time.time() - t)
            shown.update({f'{key}/{m}/{k}': v for k, v in imgs.items()})
            say(f"forget {key}, {m}: condition attack {strongest(r['attacks'])['condition'].pct:.1f}%, "
                f"drift {r['drift_pct']:.1f}%")
            save()
    # 3. membership for the first set, also filed with each model's results there (a target once the baseline is
    # detected)
    todo = [m for m in ['baseline', 'oracle', *recipes] if m not in res.get('membership', {})] if shadows else []
    if todo:
        if time.time() - t0 > 60*minutes:
            say('membership not measured (out of time)')
            save()
            return
        dirs, masks = get_shadows(cache, d, forget_sets[0], shadows, **small)
        say(f'{shadows} shadows ready')
        x, y, member = pool(d, forget_sets[0])
        scores = shadow_scores(dirs, x, y)
        mods = set_models(forget_sets[0])
        res.setdefault('membership', {}).update({m: membership(lira(elbo_scores(mods[m], x, y), scores, masks), member)
                                                 for m in todo})
    if not shadows:
        res['shadows'] = prev.get('shadows', 0)
    for m, v in res.get('membership', {}).items():   # what this run, an earlier one or a merged one measured
        if m in res['sets'].get(first, {}):
            res['sets'][first][m]['membership'] = v
    say(f"membership: {json.dumps(res['membership'])}" if shadows
        else 'membership: not measured in this run (--shadows 0); what earlier or merged runs measured is filed with '
             'the first set')
    save()
