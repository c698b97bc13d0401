"""Write README.md from nbs/index.ipynb: its Markdown, its visible code and their outputs.

`nbdev_readme` does the same through Quarto; this script needs only nbformat, so the README can be
refreshed where Quarto is not installed. The README is held short: under MAX_BYTES, and under MAX_WORDS words
before its install command (`python tools/check_docs.py` checks both, and that the README is fresh).
Usage: python tools/make_readme.py
"""
import os, re
from pathlib import Path
import nbformat

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES, MAX_WORDS = 12_000, 200
INSTALL = 'pip install'   # the README's first line holding it is its install command
LOCAL = re.compile(r'(\]\(|\bsrc=")(images/|[\w-]+\.ipynb)')   # a link or image beside the notebook


def directives(src):
    return {m.group(1): m.group(2).strip() for m in re.finditer(r'^#\|[ \t]*([\w-]+):?[ \t]*(.*)$', src, re.M)}


def cell_md(cell):
    if cell.cell_type == 'markdown':   # paths relative to nbs/, as the README sits one folder up
        return LOCAL.sub(r'\1nbs/\2', cell.source)
    d, parts = directives(cell.source), []
    if 'hide' in d:
        return ''
    code = '\n'.join(l for l in cell.source.splitlines() if not l.startswith('#|')).strip()
    if d.get('echo') != 'false' and code:
        parts.append(f'```python\n{code}\n```')
    for o in cell.get('outputs', []):
        if o.output_type == 'stream' and o.name == 'stdout':
            parts.append(f'```\n{o.text.rstrip()}\n```')
        elif 'text/markdown' in o.get('data', {}):
            parts.append(o.data['text/markdown'])
    return '\n\n'.join(parts)


def readme_text(root=ROOT):
    "The README that nbs/index.ipynb makes."
    nb = nbformat.read(root/'nbs'/'index.ipynb', as_version=4)
    return '\n\n'.join(s for s in map(cell_md, nb.cells) if s) + '\n'


def words_before_install(text):
    "The words a reader reads before the install command: HTML tags and link targets not counted."
    head = text.split(INSTALL)[0] if INSTALL in text else text
    head = re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', re.sub(r'<[^>]*>', ' ', head))
    return len([w for w in head.split() if re.search(r'\w', w)])


def readme_problems(text):
    "What makes `text` too long for a README, or lacks the install command."
    n, size = words_before_install(text), len(text.encode())
    return ([f'README.md is {size:,} bytes, not under {MAX_BYTES:,}: move depth off the home page']
            * (size >= MAX_BYTES)
            + [f'README.md has {n} words before its install command, not under {MAX_WORDS}'] * (n >= MAX_WORDS)
            + [f'README.md has no install command (`{INSTALL}`)'] * (INSTALL not in text))


if __name__ == '__main__':
    text = readme_text()
    tmp = ROOT/'.README.md.tmp'
    tmp.write_text(text)
    os.replace(tmp, ROOT/'README.md')
    print(f'wrote README.md ({len(text.encode()):,} bytes, '
          f'{words_before_install(text)} words before the install command)')
    for p in readme_problems(text):
        print(f'FAIL  {p}')
