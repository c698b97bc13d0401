"""Run every notebook the way a reader does: each alone in an empty folder, every cell in order, in a Jupyter kernel.

A reader opens one notebook (in Colab, from GitHub) with nothing beside it and presses Run all. So each notebook here is
copied alone into a fresh temporary folder and executed there by nbclient in an ipykernel kernel of the Python running
this script: that Python's installed selective_amnesia is what the notebook imports, not this checkout. Full-scale
(`slow`) cells run too: they show the results stored with the package, unless `SA_RECOMPUTE` says otherwise.

Before it runs, a notebook fails if any of its code cells names a path outside its own folder (`../`): such a page
cannot work where a reader opens it.

Prints one row per notebook (status and seconds) as a Markdown table, the total, and ends with `N passed, N failed`;
exits 1 when any notebook fails. MNIST is read from SA_DATA where it is set, as a reader's would be.

With --times, each passing notebook's seconds go into a JSON file (the store's run_all.json, which each page reads to
say what a Run all costs).

Usage: python tools/run_alone.py [NOTEBOOK ...] [--workers 2] [--timeout 1800] [--keep DIR] [--times FILE]
"""
import argparse, json, os, re, shutil, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LONGEST = ('09_robustness', '10_sequential', '07_reliability', '01b_ood_judge', '06_run', '04_viz')   # started first
OUTSIDE = re.compile(r'''(['"])\.\./|Path\(\s*['"]\.\.['"]\s*\)''')   # '../x' or Path('..')


def outside_paths(nb):
    "The code cells (index, line) of the notebook `nb` (nbformat JSON) that name a path outside its folder."
    found = []
    for i, cell in enumerate(nb['cells']):
        if cell['cell_type'] != 'code':
            continue
        found += [(i, line.strip()) for line in ''.join(cell['source']).splitlines() if OUTSIDE.search(line)]
    return found


def selftest():
    "The path check finds what it must and nothing else; a broken check would pass every page."
    cell = lambda s: dict(cell_type='code', source=[s])
    bad = [cell("json.loads(Path('../benchmarks/x.json').read_text())"), cell('open("../data")'),
           cell("Path('..')/'x'")]
    good = [cell("Path('images')/'a.png'"), cell("x = 1.0/2"), dict(cell_type='markdown', source=['see ../README.md'])]
    assert [i for i, _ in outside_paths(dict(cells=bad + good))] == [0, 1, 2], 'the outside-path check is broken'


def installed():
    "Which selective_amnesia the kernels import: its version, and whether it is an editable install of a checkout."
    from importlib.metadata import PackageNotFoundError, distribution
    try:
        dist = distribution('selective_amnesia')
    except PackageNotFoundError:
        sys.exit('error: selective_amnesia is not installed in this Python: pip install it first')
    url = json.loads(dist.read_text('direct_url.json') or '{}')
    how = 'editable' if url.get('dir_info', {}).get('editable') else 'installed, not editable'
    return f'selective_amnesia {dist.version} ({how})'


def run_one(path, timeout, keep):
    "Execute the notebook `path` alone in a fresh folder; (status, seconds, detail)."
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError
    nb = nbformat.read(path, as_version=4)
    if bad := outside_paths(nb):
        i, line = bad[0]
        return 'FAIL', 0.0, f'cell {i} reads outside its folder: {line[:80]}'
    folder = Path(tempfile.mkdtemp(prefix=f'alone-{path.stem}-', dir=keep))
    shutil.copy(path, folder/path.name)
    t = time.time()
    try:
        where = {'metadata': {'path': str(folder)}}
        client = NotebookClient(nb, timeout=timeout, kernel_name='python3', resources=where)
        client.execute()
        status, detail = 'pass', ''
    except (CellExecutionError, CellTimeoutError) as e:
        status, detail = 'FAIL', str(e).strip().splitlines()[-1][:160]
    except Exception as e:  # the kernel died, or would not start
        status, detail = 'FAIL', f'{type(e).__name__}: {str(e)[:160]}'
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            nbformat.write(nb, folder/f'{path.stem}.executed.ipynb')
    return status, time.time() - t, detail


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='*', help='notebooks to run (default: every page in nbs/)')
    p.add_argument('--workers', type=int, default=2, help='notebooks run at once (default: 2)')
    p.add_argument('--timeout', type=int, default=1800, help='seconds a cell may take (default: 1800)')
    p.add_argument('--keep', help='make the folders under KEEP and keep them, to look at what a notebook wrote')
    p.add_argument('--times', help="add each passing notebook's seconds to the JSON file TIMES (the store's "
                                   'run_all.json)')
    a = p.parse_args()
    selftest()
    pages = sorted(n for n in (ROOT/'nbs').glob('*.ipynb') if not n.name.startswith('_'))
    first = {name: i for i, name in enumerate(LONGEST)}
    nbs = [Path(n) for n in a.notebooks] or sorted(pages, key=lambda n: first.get(n.stem, len(LONGEST)))
    for n in nbs:
        if not n.is_file():
            sys.exit(f'error: no notebook {n}; give paths to .ipynb files')
    os.environ.pop('MPLBACKEND', None)   # figures inline, as in a reader's kernel (the commands it runs use Agg)
    # each kernel (and the commands it starts) gets its share of the cores: PyTorch's threads fighting over them
    # slowed a run of two notebooks several times over
    os.environ.setdefault('OMP_NUM_THREADS', str(max(1, (os.cpu_count() or 1) // min(a.workers, len(nbs)))))
    # the console scripts of this Python's environment, as a reader has them
    os.environ['PATH'] = f'{Path(sys.executable).parent}{os.pathsep}{os.environ["PATH"]}'
    t = time.time()
    with ThreadPoolExecutor(a.workers) as pool:
        results = list(pool.map(lambda n: (n, *run_one(n, a.timeout, a.keep)), nbs))
    print('| notebook | status | seconds | detail |\n|---|---|---|---|')
    for n, status, secs, detail in results:
        print(f'| {n.stem} | {status} | {secs:.0f} | {detail.replace("|", "/")} |')
    failed = sum(s != 'pass' for _, s, _, _ in results)
    if a.times:
        path = Path(a.times)
        times = json.loads(path.read_text()) if path.exists() else {}
        times.update({n.stem: round(secs) for n, status, secs, _ in results if status == 'pass'})
        path.write_text(json.dumps(dict(sorted(times.items())), indent=1) + '\n')
    took = time.time() - t
    print(f'\n{len(nbs)} notebooks alone in a kernel, {installed()}, {a.workers} at a time: {took:.0f} s in all')
    print(f'{len(nbs) - failed} passed, {failed} failed')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
