"""Do the near misses of `11_instruments` hold at the attack's full number of searches? The tables there run 64 searches
per model, so one search is 1.6 points, while an attack target allows the oracle's rate + 1 point. This reruns one
search (default: the judge-free attack) with `--n` searches (default 512, the package's `ATTACK['n']`; the step budget
as there, 300)
on the oracle and the given recipes' models for each forget set (the same cached models the tables measured), and prints
each rate with its standard error, the gap to the oracle with the gap's standard error, and whether the target is met
(`search_rows` of `11_instruments`).

Writes OUT/results.json (rewritten after every model; a rerun with the same settings keeps what was measured).
Usage: python benchmarks/searches.py --data ../shared/data --sets "0;1" --recipes guard,deep
"""
import json, time
from pathlib import Path
from fastcore.script import call_parse
from selective_amnesia.core import SAError, atomic_write, check, friendly_errors, get_device
from selective_amnesia.model import load_model
from selective_amnesia.baseline import get_oracle
from selective_amnesia.unlearn import ALL_RECIPES, Settings, forget_job
from selective_amnesia.judges import fingerprints
from selective_amnesia.strength import ATTACK, SEARCHES, SEARCH_NAMES, check_attack, strength, strongest
from selective_amnesia.evaluate import md_table
from selective_amnesia.instruments import search_rows
from common import clock, earlier, shared

@call_parse
def main(data:str='../shared/data', cache:str='runs/cache', out:str='benchmarks/searches', device:str='cpu',
         sets:str='0;1', recipes:str='guard,deep', search:str='judge_free', n:int=ATTACK['n'], steps:int=300,
         seed:int=0):
    with friendly_errors():
        if search not in SEARCHES:
            raise SAError(f"--search: unknown {search!r}; choose from {', '.join(SEARCHES)}")
        bad = [r for r in recipes.split(',') if r not in ALL_RECIPES]
        if bad:
            raise SAError(f"--recipes: unknown {', '.join(bad)}; choose from {', '.join(ALL_RECIPES)}")
        forget_sets = [list(check(forget=f.split(',')).forget) for f in sets.split(';')]
        budget = check_attack((search,), n=n, steps=steps, at=(0, steps))
        check(seed=seed)
    say, dev, out, cache = clock(), get_device(device), Path(out), Path(cache)
    d, judges, _, base = shared(data, cache, dev)
    res = dict(data=d.source, judges=fingerprints(judges), search=search, attack=budget, seed=seed, sets={})
    res['sets'] = earlier(out, res, ('data', 'judges', 'search', 'attack', 'seed')).get('sets', {})
    out.mkdir(parents=True, exist_ok=True)
    for f in forget_sets:
        key = ','.join(map(str, f))
        for m in ['oracle', *recipes.split(',')]:
            if m in res['sets'].get(key, {}):
                continue
            path = (get_oracle(cache, d, f) if m == 'oracle'
                    else forget_job(Settings(forget=f, recipe=m), data=d, cache=cache, device=dev).path)
            t = time.time()
            s = strongest(strength(load_model(path, device=dev)[0], f, judges, base, searches=(search,), seed=seed,
                                   **budget)[0])[search]
            res['sets'].setdefault(key, {})[m] = dict(pct=s.pct, seconds=time.time() - t)
            say(f"forget {key}, {m}: {s.pct:.2f}% of {n} searches")
            atomic_write(out/'results.json', json.dumps(res, indent=1).encode())
    print(f'\n{SEARCH_NAMES[search]}: {n} searches of {steps} steps per forgotten digit')
    print(md_table(search_rows(res)))
