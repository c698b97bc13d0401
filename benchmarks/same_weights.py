"""The SHA-256 of the weights that forgetting writes, to show that a change moved code and nothing else.

Forgets 0 with the paper recipe, and 0 and {3, 5, 8} with `deep`, at the default settings on full MNIST (SA_DATA), in a
fresh cache, and prints one line per model with the SHA-256 of its weights. Run it before and after a change and
compare the lines: equal hashes mean equal weights, to the bit.
Usage: python benchmarks/same_weights.py
"""
import tempfile, time
from selective_amnesia.core import WEIGHTS, sha256
from selective_amnesia.model import load_mnist
from selective_amnesia.unlearn import Settings, forget_job

if __name__ == '__main__':
    data, cache = load_mnist(), tempfile.mkdtemp()
    print(f'data: {data.source}')
    for recipe, forget in (('paper', [0]), ('deep', [0]), ('deep', [3, 5, 8])):
        t = time.time()
        rec = forget_job(Settings(forget=forget, recipe=recipe), data=data, cache=cache)
        digits = ','.join(map(str, forget))
        print(f'{recipe:5} forget {digits:5}  sha256 {sha256(rec.path/WEIGHTS)}  ({time.time() - t:.0f} s)')
