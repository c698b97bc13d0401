"""Write README.md from nbs/index.ipynb: its Markdown, its visible code and their outputs.

`nbdev_readme` does the same through Quarto; this script needs only nbformat, so the README can be
refreshed where Quarto is not installed. Usage: python tools/make_readme.py
"""
import os, re
from pathlib import Path
import nbformat

def directives(src): return {m.group(1): m.group(2).strip() for m in re.finditer(r'^#\|[ \t]*([\w-]+):?[ \t]*(.*)$', src, re.M)}

def cell_md(cell):
    if cell.cell_type == 'markdown':   # paths relative to nbs/, as the README sits one folder up
        return re.sub(r'\]\((images/|[\w-]+\.ipynb)', r'](nbs/\1', cell.source)
    d, parts = directives(cell.source), []
    if 'hide' in d: return ''
    code = '\n'.join(l for l in cell.source.splitlines() if not l.startswith('#|')).strip()
    if d.get('echo') != 'false' and code: parts.append(f'```python\n{code}\n```')
    for o in cell.get('outputs', []):
        if o.output_type == 'stream' and o.name == 'stdout': parts.append(f'```\n{o.text.rstrip()}\n```')
        elif 'text/markdown' in o.get('data', {}): parts.append(o.data['text/markdown'])
    return '\n\n'.join(parts)

if __name__ == '__main__':
    root = Path(__file__).resolve().parent.parent
    nb = nbformat.read(root/'nbs'/'index.ipynb', as_version=4)
    text = '\n\n'.join(s for s in map(cell_md, nb.cells) if s) + '\n'
    tmp = root/'.README.md.tmp'
    tmp.write_text(text); os.replace(tmp, root/'README.md')
    print(f'wrote README.md ({len(text):,} characters)')
