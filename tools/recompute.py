"""Recompute a notebook's full-scale cells and compare them with the results stored for them in the package.

The notebook runs alone in a fresh folder, in a Jupyter kernel (as tools/run_alone.py runs it), with SA_RECOMPUTE=1, so
every full-scale (`slow`) cell computes instead of replaying. Each cell's text (printed lines, tables) is then compared
line by line with the stored record of the same fingerprint; figures are compared by their size in pixels only, since
PNG bytes differ between matplotlib versions. Prints one line per cell and the differing lines, and ends with
`N equal, N differ`; exits 1 when a cell differs or has no stored record.

Usage: python tools/recompute.py NOTEBOOK [--timeout 3600]
"""
import argparse, base64, difflib, os, struct, sys, tempfile
from pathlib import Path
import nbformat
sys.path.insert(0, str(Path(__file__).parent))
from run_alone import run_one
from selective_amnesia.store import cell_fingerprint, stored_cell


def text_of(outputs):
    "The lines a reader reads in `outputs` (nbformat), without the store's own announcement lines."
    lines = []
    for o in outputs:
        text = o.get('text') if o['output_type'] == 'stream' else o.get('data', {}).get('text/markdown', '')
        text = ''.join(text) if isinstance(text, list) else (text or '')
        lines += [line for line in text.splitlines() if not line.startswith(('[computing full-scale cell', '[stored result'))]
    return lines


def figure_sizes(outputs):
    "The width and height in pixels of each PNG in `outputs`."
    sizes = []
    for o in outputs:
        png = o.get('data', {}).get('image/png')
        if png:
            raw = base64.b64decode(''.join(png) if isinstance(png, list) else png)
            sizes.append(struct.unpack('>II', raw[16:24]))
    return sizes


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebook', help='the notebook whose full-scale cells to recompute')
    p.add_argument('--timeout', type=int, default=3600, help='seconds a cell may take (default: 3600)')
    a = p.parse_args()
    path = Path(a.notebook)
    os.environ['SA_RECOMPUTE'] = '1'
    keep = tempfile.mkdtemp()
    status, secs, detail = run_one(path, a.timeout, keep)
    if status != 'pass':
        sys.exit(f'error: {path.name} failed when recomputed: {detail}')
    ran = nbformat.read(next(Path(keep).glob(f'*/{path.stem}.executed.ipynb')), as_version=4)
    equal = differ = 0
    for i, cell in enumerate(ran.cells):
        if cell.cell_type != 'code' or not cell.source.startswith('#| slow'):
            continue
        fp = cell_fingerprint(cell.source, path.stem)
        rec = stored_cell(fp)
        if rec is None:
            print(f'cell {i} ({fp}): nothing stored')
            differ += 1
            continue
        old, new = text_of(rec['outputs']), text_of(cell.outputs)
        same = old == new and figure_sizes(rec['outputs']) == figure_sizes(cell.outputs)
        equal, differ = equal + same, differ + (not same)
        print(f"cell {i} ({fp}): {'equal' if same else 'DIFFERS'}: {len(new)} lines, {len(figure_sizes(cell.outputs))} figures")
        if not same:
            print('\n'.join(difflib.unified_diff(old, new, 'stored', 'recomputed', lineterm='', n=0)))
    print(f'{path.name} recomputed in {secs:.0f} s')
    print(f'{equal} equal, {differ} differ')
    sys.exit(1 if differ else 0)


if __name__ == '__main__':
    main()
