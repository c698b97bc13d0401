"""Make every notebook's Colab badge and install cell from the one repository address in settings.ini.

settings.ini names the repository once (`git_url`, with `branch`); each notebook's "Open In Colab" badge points at
that notebook in it, and its install cell (run in Colab only) pip-installs the package from it. This script writes
them; with --check it changes nothing and fails when a notebook disagrees with settings.ini.
Usage: python tools/make_links.py [--check]
"""
import argparse, json, re, sys
from configparser import ConfigParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BADGE = re.compile(r'https://colab\.research\.google\.com/github/[^)\s]+')
INSTALL = re.compile(r"(?<=['\"])git\+https://[^'\"\s]+")   # inside a string of an install cell


def settings():
    "The repository's address and branch, from settings.ini."
    cfg = ConfigParser(delimiters=['='])
    cfg.read(ROOT/'settings.ini', encoding='utf-8')
    return cfg['DEFAULT']['git_url'].rstrip('/'), cfg['DEFAULT']['branch']


def linked(text, nb_name, url, branch):
    "The cell text `text` of the notebook `nb_name` with its badge and install address made from `url` and `branch`."
    repo = url.removeprefix('https://github.com/')
    text = BADGE.sub(f'https://colab.research.google.com/github/{repo}/blob/{branch}/nbs/{nb_name}', text)
    return INSTALL.sub(f'git+{url}@{branch}', text)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--check', action='store_true', help='change nothing; fail when a notebook disagrees')
    a = p.parse_args()
    url, branch = settings()
    stale = []
    for path in sorted((ROOT/'nbs').glob('*.ipynb')):
        nb = json.loads(path.read_text())
        has = {'badge': False, 'install': False}
        for cell in nb['cells']:
            text = ''.join(cell['source'])
            has['badge'] |= bool(BADGE.search(text))
            has['install'] |= bool(INSTALL.search(text))
            new = linked(text, path.name, url, branch)
            if new != text:
                stale.append(path.name)
                cell['source'] = new.splitlines(True)
        stale += [f'{path.name} (no {k})' for k, v in has.items() if not v]
        if not a.check:
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    stale = sorted(set(stale))
    if a.check and stale:
        sys.exit(f'badges or install cells disagree with settings.ini ({url}, {branch}): {", ".join(stale)}; '
                 'run python tools/make_links.py')
    print(f'{"checked" if a.check else "wrote"} the badges and install cells of every notebook: {url}, branch {branch}'
          + (f'; fixed {", ".join(stale)}' if stale and not a.check else ''))


if __name__ == '__main__':
    main()
