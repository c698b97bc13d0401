"""Candidates for a recipe that forgets as deeply as retraining: each candidate (a recipe and some of its settings)
forgets the forget set from the shipped baseline, then goes through `instruments` at the settings of a finished
`instruments.py` run (`--against`), and is read against that run's oracle and recipes on the same targets table.

Writes OUT/results.json (rewritten after every candidate; a later run with the same settings adds to it and skips what
it holds; one at other settings is refused) and prints, per forget set, the targets table of the oracle,
the recipes of the run against, and the candidates.
Usage: python benchmarks/candidates.py --data ../shared/data --sets 1 --candidates "notebook lr=3e-4;notebook iters=300"
"""
import json, time
from pathlib import Path
from fastcore.script import call_parse
from selective_amnesia.core import SAError, atomic_write, check, friendly_errors, get_device
from selective_amnesia.model import load_model
from selective_amnesia.unlearn import ALL_RECIPES, Settings, forget_job
from selective_amnesia.judges import fingerprints
from selective_amnesia.evaluate import md_table
from selective_amnesia.strength import strongest
from selective_amnesia.instruments import band_of, instruments, reference, target_rows, target_table
from common import clock, earlier, shared

def parse(candidates):
    "`recipe k=v k=v;...` as {name: (recipe, settings)}, each checked: a known recipe, numbers for values."
    out = {}
    for c in filter(None, map(str.strip, candidates.split(';'))):
        recipe, *kv = c.split()
        if recipe not in ALL_RECIPES:
            raise SAError(f"--candidates: unknown recipe {recipe!r}; choose from {', '.join(ALL_RECIPES)}")
        try:
            knobs = {k: (int(v) if v.isdigit() else float(v)) for k, v in (x.split('=') for x in kv)}
        except ValueError:
            raise SAError(f'--candidates: {c!r}: give settings as name=number, e.g. "notebook lr=3e-4"') from None
        Settings(recipe=recipe, **knobs)   # every knob checked before any work
        out[c] = (recipe, knobs)
    return out

@call_parse
def main(data:str='../shared/data', cache:str='runs/cache', device:str='auto', out:str='benchmarks/candidates',
         against:str='benchmarks/instruments', sets:str='1', candidates:str='notebook lr=3e-4'):
    with friendly_errors():
        cands = parse(candidates)
        if not (Path(against)/'results.json').is_file():
            raise SAError(f'--against {against} holds no results.json: give a folder instruments.py wrote')
        A = json.loads((Path(against)/'results.json').read_text())
        forget_sets = [list(check(forget=s.split(',')).forget) for s in sets.split(';')]
        missing = [','.join(map(str, f)) for f in forget_sets if ','.join(map(str, f)) not in A['sets']]
        if missing:
            raise SAError(f"--against {against} did not measure forget set {', '.join(missing)}: "
                          f"it has {', '.join(k for k in A['sets'] if 'band' not in k)}")
    say, dev, out = clock(), get_device(device), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    d, judges, _, base = shared(data, cache, dev)
    attack = dict(n=A['attack']['n'], steps=A['budget'], at=(0, A['budget']))
    res = dict(judges=fingerprints(judges), against=against, attack=attack, drift_n=A['drift_n'], candidates={},
               sets={})
    if A.get('judges') != res['judges']:
        with friendly_errors():
            raise SAError(f'--against {against} was measured with other judges than the shipped ones: '
                          'run instruments.py again first')
    prev = earlier(out, res, ('judges', 'against', 'attack', 'drift_n'))
    res.update(candidates=prev.get('candidates', {}), sets=prev.get('sets', {}))
    res['candidates'].update({c: dict(recipe=r, **k) for c, (r, k) in cands.items()})
    for f in forget_sets:
        key = ','.join(map(str, f))
        ref = reference(base, d, f, judges, drift_n=A['drift_n'])
        say(f'forget {key}: references ready (noise band {ref["band"]["band_pct"]:.1f}%, '
            f'the run against: {band_of(A, key):.1f}%)')
        for c, (recipe, knobs) in cands.items():
            if c in res['sets'].get(key, {}):
                continue   # measured by an earlier run
            t = time.time()
            rec = forget_job(Settings(forget=f, recipe=recipe, **knobs), data=d, cache=cache, device=dev)
            model = load_model(rec.path, device=dev)[0]
            r, _ = instruments(model, base, d, f, judges, ref, drift_n=A['drift_n'], attack=attack)
            res['sets'].setdefault(key, {})[c] = dict(r, seconds=time.time() - t)
            atomic_write(out/'results.json', json.dumps(res, indent=1).encode())
            say(f"forget {key}, {c}: condition attack {strongest(r['attacks'])['condition'].pct:.1f}%, "
                f"kept drift {r['drift_pct']:.1f}%, kept nELBO change {r['nelbo_change']:.2f} nats")
        both = {m: v for m, v in A['sets'][key].items() if m in ('baseline', 'oracle', 'paper', 'notebook', 'robust')}
        rows = target_table(target_rows({**both, **res['sets'][key]}, band_of(A, key)))
        print(f'\nforget {key}\n' + md_table([{k: v for k, v in r.items() if k != 'baseline'} for r in rows]))
