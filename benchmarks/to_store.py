"""Write the package's results store (selective_amnesia/assets/store) from this folder's results and the notebooks.

- Benchmark results: the files the pages read, copied with their SHA-256 and a fingerprint (`store.put_results`).
- Full-scale cells: the outputs of every cell marked `slow` in nbs/, as the executed notebook keeps them, under the
  fingerprint of the cell's code, the package version and the shipped artefacts (`store.record_cell`). Records of
  cells that no longer exist are removed.
Run it after a benchmark or after executing a notebook's full-scale cells. Usage: python benchmarks/to_store.py
"""
import json, sys
from pathlib import Path
from selective_amnesia.store import STORE, put_results, record_cell

HERE = Path(__file__).parent
RESULTS = {  # name in the store: this folder's subfolder, and the files of it that pages read
    'instruments': ('instruments', ['results.json', 'successes.safetensors']),
    'methods': ('methods', ['results.json', 'sweep.json', 'time.json']),
    'sequence': ('sequence', ['results.json', 'successes.safetensors']),
    'first_judge': ('first_judge', ['results.json']),
    'searches': ('searches', ['results.json']),
    'oracle_seeds': ('oracle_seeds', ['results.json']),
    'oracles': ('oracles', ['results.json']),
    'candidates': ('candidates', ['results.json']),
    'resist': ('resist', ['results.jsonl']),
    'judge_tries': ('judge_tries', ['results.json']),
    'capacity': ('../nbs/images', ['capacity.csv']),   # the capacity study's grid, as its full-scale run wrote it
}


def speed_table():
    "The home page's speed table, printed by speed_table.py from RESULTS.md, as a file in the store."
    sys.path.insert(0, str(HERE))
    from speed_table import table
    out = HERE/'speed'
    out.mkdir(exist_ok=True)
    (out/'table.md').write_text(table((HERE/'RESULTS.md').read_text()) + '\n')
    return out


def record_notebooks(nbs):
    "Record every full-scale cell of the notebooks in `nbs`; remove the records of cells that are gone."
    kept = set()
    for path in sorted(Path(nbs).glob('*.ipynb')):
        for cell in json.loads(path.read_text())['cells']:
            text = ''.join(cell['source'])
            if cell['cell_type'] == 'code' and text.startswith('#| slow'):
                if any(o['output_type'] == 'error' for o in cell['outputs']):
                    raise SystemExit(f'error: a full-scale cell of {path.name} ended in an error: run it again first')
                kept.add(record_cell(text, cell['outputs'], path.stem))
    for old in (STORE/'cells').glob('*.json'):
        if old.stem not in kept:
            old.unlink()
    return kept


if __name__ == '__main__':
    for name, (folder, files) in RESULTS.items():
        put_results(name, HERE/folder, files)
    put_results('speed', speed_table(), ['table.md'])
    cells = record_notebooks(HERE.parent/'nbs')
    size = sum(f.stat().st_size for f in STORE.rglob('*') if f.is_file())
    print(f'stored {len(RESULTS) + 1} benchmark results and {len(cells)} full-scale cells: {size/1e6:.1f} MB')
