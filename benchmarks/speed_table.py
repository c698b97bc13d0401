"""The home page's Speed table, read from benchmarks/RESULTS.md: one row per measure, the reference's time, the
project's and their ratio. A line the table needs that RESULTS.md no longer has is an error naming it, not a missing
row. Usage: python benchmarks/speed_table.py [RESULTS.md]
"""
import re, sys
from pathlib import Path

ROWS = [  # measure, reference, project, ratio: regexes over RESULTS.md, one group each
    ('one epoch of batches (batch 256)',
     r'DataLoader\+ToTensor ([\d.]+ ms)', r'in-memory ([\d.]+ ms)', r'ratio ([\d.]+)x', 'torchvision DataLoader',
     'tensors in memory'),
    ('diagonal Fisher, 2,000 samples',
     r'loop \(one backward per sample\): ([\d.]+ s)', r'identity \(package\): ([\d.]+ s)',
     r'([\d.]+)x faster than the loop',
     'one backward per sample', 'linear-layer identity'),
    ('first `sa_run --forget 0`, empty cache',
     r'cold, --retrain \(trains baseline and judge\): (\d+ s)', r'cold, shipped baseline and judge: (\d+ s)',
     r'shipped path ([\d.]+)x faster', '`--retrain` (trains baseline and judge)', 'shipped baseline and judge'),
    ('`sa_robust` on one forgotten model, judges, baseline and oracle cached',
     r'cached: \d+ s \(target <= (\d+ s)\)', r'cached: (\d+ s) \(target', None, 'target', 'measured'),
]

def find(rx, text):
    "The one group of `rx` in `text`; an error naming the pattern when RESULTS.md lacks it."
    m = re.search(rx, text)
    if not m:
        raise SystemExit(f'error: benchmarks/RESULTS.md has no line matching {rx!r}: rerun benchmarks/run_all.sh')
    return m.group(1)

def recipes(text):
    "Rows of recipe_time.py: every recipe and method against the paper recipe, at the same load."
    block = text.split('## recipe_time.py', 1)[-1].split('\n## ', 1)[0]
    found = re.findall(r'^(\w+)\s+([\d.]+ s)\s+([\d.]+)x the paper recipe$', block, re.M)
    if not found:
        raise SystemExit('error: benchmarks/RESULTS.md has no recipe_time.py times: rerun benchmarks/recipe_time.py')
    paper = dict((n, s) for n, s, _ in found)['paper']
    return [(f'forgetting, 1,000 iterations: `{n}`', f'paper recipe {paper}', s,
             f'{r}x') for n, s, r in found if n != 'paper']

def table(text):
    "The Speed table as Markdown."
    rows = []
    for measure, ref, mine, ratio, ref_name, my_name in ROWS:
        r, m = find(ref, text), find(mine, text)
        q = float(r.split()[0])/float(m.split()[0])   # without a ratio: the reference is a target, met or missed
        x = f'{find(ratio, text)}x faster' if ratio else f'{q:.1f}x under' if q >= 1 else f'{1/q:.1f}x over (missed)'
        rows.append((measure, f'{ref_name} {r}', f'{my_name} {m}', x))
    lines = ['| measure | reference | project | ratio |', '|---|---|---|---|']
    return '\n'.join(lines + [f'| {" | ".join(r)} |' for r in rows + recipes(text)])

if __name__ == '__main__':
    print(table(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent/'RESULTS.md').read_text()))
