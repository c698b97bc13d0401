"""Print size facts about the code that a reviewer can check, and enforce the house limits.

Facts and limits:
- each module selective_amnesia/*.py (not `_modidx.py`, `__init__.py`): its line count, shown but not limited (a cap
  on a module's lines rewarded squeezing statements onto one line; a module's size follows from its one job);
- each top-level function and each method (functions nested inside it count as part of it): lines from
  `def` to its end, decorators excluded, at most 40;
- each exported code cell of nbs/*.ipynb (a `#| export` or `#| exports` line): its public top-level
  definitions (functions, classes, assignments to names not starting with `_`; one assignment statement
  such as `EPOCHS, LR = 30, 1e-3` counts once; imports and `__all__` do not count), at most 1.

Prints a table of modules, then one line per violation, then a summary. Exits 1 when there is a
violation that EXCEPTIONS does not excuse. Cells are numbered from 0, as in the notebook file.

Usage (from anywhere): python tools/house_facts.py
"""
import ast, json, re, sys
from pathlib import Path

# Offender -> reason it may break its limit. Keys are written as the report names them:
# 'selective_amnesia/core.py', 'selective_amnesia/core.py:Cache.get', 'nbs/03_unlearn.ipynb cell 8'.
EXCEPTIONS = {}

ROOT = Path(__file__).resolve().parent.parent
FUNCTION_LINES, CELL_DEFS = 40, 1
EXPORT = re.compile(r'^#\|\s*exports?(\s|$)', re.M)  # `#| export`, `#|export`, `#| exports`, `#| export mod`

# --- modules and functions ---------------------------------------------------------------------

def modules():
    return sorted(p for p in (ROOT/'selective_amnesia').glob('*.py') if p.name not in ('_modidx.py', '__init__.py'))

def functions(node, prefix=''):
    "(qualified name, lines) of each top-level function and method; a nested def stays inside its parent."
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + child.name, child.end_lineno - child.lineno + 1
        elif isinstance(child, ast.ClassDef): yield from functions(child, f'{prefix}{child.name}.')
        elif isinstance(child, ast.stmt): yield from functions(child, prefix)  # defs inside `if`, `try`, ...

def module_facts(path):
    "(name, lines, [(function name, lines)]) for one module."
    text = path.read_text()
    name = str(path.relative_to(ROOT))
    return name, len(text.splitlines()), [(f'{name}:{f}', n) for f, n in functions(ast.parse(text))]

# --- exported cells ----------------------------------------------------------------------------

def assigned_names(stmt):
    "Names bound by an assignment statement; `a, (b, c) = ...` gives a, b, c."
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    return [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]

def public_defs(source):
    "One entry per public top-level definition: a name, or `(A, B)` for names assigned together."
    defs = []
    for stmt in ast.parse(source).body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)): names = [stmt.name]
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)): names = assigned_names(stmt)
        else: continue  # imports, expressions, `if`/`try` blocks
        names = [n for n in names if not n.startswith('_')]  # also drops `__all__`
        if names: defs.append(names[0] if len(names) == 1 else f"({', '.join(names)})")
    return defs

def code_only(source):
    "The cell without IPython magics and shell lines, which `ast` cannot parse."
    return '\n'.join('' if l.lstrip().startswith(('%', '!')) else l for l in source.splitlines())

def exported_cells():
    "(name, public definitions) for each exported cell; a cell that does not parse gives None."
    for nb_path in sorted((ROOT/'nbs').glob('*.ipynb')):
        cells = json.loads(nb_path.read_text())['cells']
        for i, cell in enumerate(cells):
            src = ''.join(cell['source'])
            if cell['cell_type'] != 'code' or not EXPORT.search(src): continue
            try: defs = public_defs(code_only(src))
            except SyntaxError: defs = None
            yield f'{nb_path.relative_to(ROOT)} cell {i}', defs

# --- report ------------------------------------------------------------------------------------

def violations(funcs, cells):
    "(offender, message) for each limit broken."
    for name, n in funcs:
        if n > FUNCTION_LINES: yield name, f'{n} lines (limit {FUNCTION_LINES})'
    for name, defs in cells:
        if defs is None: yield name, 'does not parse'
        elif len(defs) > CELL_DEFS: yield name, f"{len(defs)} public definitions ({', '.join(defs)}; limit {CELL_DEFS})"

def print_table(mods):
    "One row per module: lines, functions and the longest of them."
    width = max(len(m[0]) for m in mods)
    print(f"{'module':<{width}}  lines  functions  longest")
    for name, n, fs in mods: print(f'{name:<{width}}  {n:>5}  {len(fs):>9}  {max((f[1] for f in fs), default=0):>7}')

def main():
    mods = [module_facts(p) for p in modules()]
    funcs, cells = [f for m in mods for f in m[2]], list(exported_cells())
    print_table(mods)
    found = list(violations(funcs, cells))
    broken = [(k, m) for k, m in found if k not in EXCEPTIONS]
    for k, m in found: print(f'{k}: {m}' + (f'  [excepted: {EXCEPTIONS[k]}]' if k in EXCEPTIONS else ''))
    for k in sorted(EXCEPTIONS.keys() - {k for k, _ in found}): print(f'note: exception no longer needed: {k}')
    excused = f' ({len(found) - len(broken)} excepted)' if len(found) > len(broken) else ''
    print(f'house: {len(mods)} modules (max {max((m[1] for m in mods), default=0)} lines), '
          f'{len(funcs)} functions (max {max((f[1] for f in funcs), default=0)} lines), '
          f'{len(cells)} exported cells; {len(broken)} violations{excused}')
    return 1 if broken else 0

if __name__ == '__main__': sys.exit(main())
