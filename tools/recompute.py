"""Recompute a notebook's full-scale cells and compare them with the results stored for them in the package.

The notebook runs alone in a fresh folder, in a Jupyter kernel (as tools/run_alone.py runs it), with SA_RECOMPUTE=1, so
every full-scale (`slow`) cell computes instead of replaying. Each cell's text (printed lines, tables) is then compared
line by line with the stored record of the same fingerprint, wall times ("2.5 s") aside, which no rerun repeats; the
differing lines are shown all the same. Figures are compared by their size in pixels only, since PNG bytes differ
between matplotlib versions. Prints one line per cell and the differing lines, and ends with
`N equal, N differ`; exits 1 when a cell differs or has no stored record.

With --write, the notebook's full-scale cells take the recomputed outputs (progress bars left out), so that
`python benchmarks/to_store.py` stores them; --ran reuses a notebook this script already executed (kept under --keep).

With --only FP,FP..., only the full-scale cells whose fingerprints start so are computed; the others replay their stored
outputs (name the cells a computed one needs too, such as the one that loads the data).

Usage: python tools/recompute.py NOTEBOOK [--timeout 3600] [--write] [--keep DIR] [--ran EXECUTED.ipynb] [--only FPS]
"""
import argparse, base64, difflib, os, re, struct, sys, tempfile
from pathlib import Path
import nbformat
sys.path.insert(0, str(Path(__file__).parent))
from run_alone import run_one
from selective_amnesia.store import cell_fingerprint, stored_cell


NOTES = ('[computing full-scale cell', '[stored result')   # the store's own lines, not the cell's


def text_of(outputs):
    "The lines a reader reads in `outputs` (nbformat), without the store's own announcement lines."
    lines = []
    for o in outputs:
        text = o.get('text') if o['output_type'] == 'stream' else o.get('data', {}).get('text/markdown', '')
        text = ''.join(text) if isinstance(text, list) else (text or '')
        lines += [line for line in text.splitlines() if not line.startswith(NOTES)]
    return lines


SECONDS = re.compile(r'\b\d[\d,]*(\.\d+)? s\b')   # a wall time, such as "in 2.5 s": no rerun repeats it


def untimed(lines):
    "`lines` with every wall time written as `… s`, so that two runs compare by what they computed."
    return [SECONDS.sub('… s', line) for line in lines]


BAR = re.compile(r'\d+%\|')   # tqdm's "42%|████"


def is_progress(output):
    "Whether `output` is a progress bar's stream (tqdm writes them to stderr): nothing a page keeps."
    text = ''.join(output.get('text', ''))
    return output['output_type'] == 'stream' and output['name'] == 'stderr' and (BAR.search(text) or not text.strip())


def without_notes(output):
    "`output` without the store's own announcement lines; None when nothing else is left of it."
    if output['output_type'] != 'stream':
        return output
    lines = [line for line in output['text'].splitlines(True) if not line.startswith(NOTES)]
    return nbformat.from_dict({**output, 'text': ''.join(lines)}) if lines else None


def write_back(path, ran):
    "Give the full-scale cells of the notebook at `path` the outputs they have in the executed notebook `ran`."
    nb = nbformat.read(path, as_version=4)
    for cell, new in zip(nb.cells, ran.cells):
        assert cell.source == new.source, f'{path.name} changed since it ran: run it again'
        if cell.cell_type == 'code' and cell.source.startswith('#| slow'):
            cell.outputs = [o for o in map(without_notes, new.outputs) if o is not None and not is_progress(o)]
    nbformat.write(nb, path)


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
    p.add_argument('--write', action='store_true', help="give the notebook's full-scale cells the recomputed outputs")
    p.add_argument('--keep', help='run in a folder under KEEP and keep it (default: a temporary folder, kept)')
    p.add_argument('--ran', help='an executed notebook from an earlier run of this script, instead of running again')
    p.add_argument('--only', help='compute only the full-scale cells whose fingerprints start so (comma-separated)')
    a = p.parse_args()
    path = Path(a.notebook)
    if a.ran:
        ran, secs = nbformat.read(a.ran, as_version=4), 0.0
    else:
        os.environ['SA_RECOMPUTE'] = a.only or '1'
        keep = a.keep or tempfile.mkdtemp()
        status, secs, detail = run_one(path, a.timeout, keep)
        if status != 'pass':
            sys.exit(f'error: {path.name} failed when recomputed: {detail}')
        ran = nbformat.read(next(Path(keep).glob(f'alone-{path.stem}-*/{path.stem}.executed.ipynb')), as_version=4)
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
        old, new = text_of(rec['outputs']), text_of([o for o in cell.outputs if not is_progress(o)])
        same = untimed(old) == untimed(new) and figure_sizes(rec['outputs']) == figure_sizes(cell.outputs)
        equal, differ = equal + same, differ + (not same)
        times = '' if old == new else ' (wall times aside)' if same else ''
        verdict = 'equal' if same else 'DIFFERS'
        print(f'cell {i} ({fp}): {verdict}{times}: {len(new)} lines, {len(figure_sizes(cell.outputs))} figures')
        if old != new:
            print('\n'.join(difflib.unified_diff(old, new, 'stored', 'recomputed', lineterm='', n=0)))
    print(f'{path.name} recomputed in {secs:.0f} s')
    if a.write:
        write_back(path, ran)
        print(f'wrote the recomputed outputs into {path}: run python benchmarks/to_store.py to store them')
    print(f'{equal} equal, {differ} differ')
    sys.exit(1 if differ and not a.write else 0)


if __name__ == '__main__':
    main()
