"""Is a forgotten model distinguishable from retraining? One oracle is one draw: this retrains several (same settings,
seeds `--oracles`) per forget set, runs the recipes with seeds `--seeds`, and measures every model with `sa_robust`'s
instruments at its default budget (`robustness.ROBUST`), through the cache. `11c_oracles` reads each model against the
oracles' spread, one-sided and two-sided.

Writes OUT/results.json, rewritten after every model (a rerun keeps what was measured): per forget set, each model's
results and the seconds each step took (training the oracle or forgetting, measuring), on this machine.
`--variants` adds recipes with changed settings, as RECIPE:FIELD=VALUE separated by commas (for example
`deep:iters=250`), run with the first recipe seed: can a recipe be stopped at the oracles' level?
Usage: python benchmarks/oracles.py --data ../shared/data --sets "0;1;8;3,5,8"
"""
import json, time
from pathlib import Path
from fastcore.script import call_parse
from selective_amnesia.core import SAError, atomic_write, check, friendly_errors, get_device, read_config
from selective_amnesia.baseline import get_oracle
from selective_amnesia.unlearn import RECIPES, Settings, forget_job
from selective_amnesia.judges import fingerprints
from selective_amnesia.robustness import ROBUST, load_robustness, reference_job, robustness_job
from selective_amnesia.oracles import cost_table, summary_table
from selective_amnesia.evaluate import md_table
from common import clock, earlier, shared


def numbers(text, name):
    "The whole numbers of 0 or more in the comma-separated `text`; a one-line error for anything else."
    try:
        return [check(seed=int(s)).seed for s in text.split(',')]
    except (ValueError, SAError):
        raise SAError(f'--{name} {text!r}: whole numbers of 0 or more separated by commas, e.g. 0,1,2') from None


def variant(text):
    "(recipe, {field: value}, name) of one `--variants` entry RECIPE:FIELD=VALUE; a one-line error if malformed."
    try:
        recipe, change = text.split(':')
        field, value = change.split('=')
        Settings(recipe=recipe, **{field: float(value) if '.' in value else int(value)})
    except (ValueError, TypeError):
        raise SAError(f'--variants {text!r}: RECIPE:FIELD=VALUE, e.g. deep:iters=250') from None
    return recipe, {field: float(value) if '.' in value else int(value)}, f'{recipe} {field}={value}'


def timed(make):
    "(what `make()` returns, the seconds it took)."
    t = time.time()
    path = make()
    return path, time.time() - t


@call_parse
def main(data:str='../shared/data', cache:str='runs/cache', out:str='benchmarks/oracles', device:str='cpu',
         sets:str='0;1;8;3,5,8', oracles:str='0,1,2,3,4', recipes:str='paper,guard,deep', seeds:str='0,1,2',
         variants:str=''):
    with friendly_errors():
        forget_sets = [list(check(forget=f.split(',')).forget) for f in sets.split(';')]
        oracle_seeds, recipe_seeds = numbers(oracles, 'oracles'), numbers(seeds, 'seeds')
        names = recipes.split(',')
        bad = [r for r in names if r not in RECIPES]
        if bad:
            raise SAError(f"--recipes: {', '.join(bad)} not a recipe of Selective Amnesia ({', '.join(RECIPES)})")
        changed = [variant(v) for v in variants.split(',') if v]
    say, dev, out, cache = clock(), get_device(device), Path(out), Path(cache)
    d, judges, base_dir, _ = shared(data, cache, dev)
    res = dict(data=d.source, judges=fingerprints(judges), attack=ROBUST, sets={})
    res['sets'] = earlier(out, res, ('data', 'judges', 'attack')).get('sets', {})
    out.mkdir(parents=True, exist_ok=True)
    for f in forget_sets:
        key = ','.join(map(str, f))
        done = res['sets'].setdefault(key, {})
        models = {}
        for s in oracle_seeds:
            path = get_oracle(cache, d, f, seed=s)
            models[f'oracle {s}'] = (path, read_config(path)['seconds'])
        for s in recipe_seeds:   # a seed of every recipe before the next seed: a cut-short run still reads them all
            for r in names:
                job = forget_job(Settings(forget=tuple(f), recipe=r, seed=s), data=d, cache=cache)
                models[f'{r} {s}'] = (job.path, job.metrics['seconds'])
        for r, change, name in changed:
            s = recipe_seeds[0]
            job = forget_job(Settings(forget=tuple(f), recipe=r, seed=s, **change), data=d, cache=cache)
            models[f'{name} {s}'] = (job.path, job.metrics['seconds'])
        ref = reference_job(cache, base_dir, d, f, judges)
        for name, (path, made) in models.items():
            if name in done:
                continue
            got, took = timed(lambda: robustness_job(cache, path, base_dir, d, f, judges, ref=lambda: ref))
            done[name] = dict(load_robustness(got)[0], made_seconds=made, measure_seconds=took)
            say(f'forget {key}, {name}: made in {made:.0f} s, measured in {took:.0f} s')
            atomic_write(out/'results.json', json.dumps(res, indent=1).encode())
    mine = dict(res, sets={','.join(map(str, f)): res['sets'][','.join(map(str, f))] for f in forget_sets})
    print(md_table(summary_table(mine)), md_table(cost_table(mine)), sep='\n\n')
    print(f"{sum(len(v) for v in res['sets'].values())} models measured in {out}/results.json")
