"""What the benchmark scripts share: a clock for their stage lines, the data, judges and baseline every run reads, and
the check that an earlier run's results in the output folder were measured the same way before a run adds to them."""
import json, time
from selective_amnesia.core import SAError, friendly_errors
from selective_amnesia.model import load_mnist, load_model
from selective_amnesia.baseline import get_baseline
from selective_amnesia.judges import load_judges

def clock():
    "`say(msg)`: prints `msg` after the seconds since this call."
    t0 = time.time()
    return lambda msg: print(f'[{time.time() - t0:6.0f} s] {msg}', flush=True)

def shared(data, cache, dev, **small):
    "The data, the shipped judges, the baseline's folder and the baseline (`small`: a smaller baseline for a dry run)."
    d, judges = load_mnist(data, dev), load_judges(device=dev)
    base_dir = get_baseline(cache, d, **small)
    return d, judges, base_dir, load_model(base_dir, device=dev)[0]

def earlier(out, res, keys):
    """What an earlier run left in `out`/results.json ({} if nothing); a one-line error if it measured with other `keys`
    than `res` says."""
    prev = json.loads((out/'results.json').read_text()) if (out/'results.json').exists() else {}
    differ = [k for k in keys if prev and prev.get(k) != json.loads(json.dumps(res[k]))]
    if differ:   # never overwrite or mix in an earlier run's results measured at other settings
        with friendly_errors():
            raise SAError(f"{out} holds a run with other {', '.join(differ)} "
                          f"({'; '.join(f'{k}: {prev.get(k)}' for k in differ)}): "
                          'give the same settings to add to it, or another --out')
    return prev
