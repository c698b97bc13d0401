"""Check the docs as a reader sees them: render every notebook page to HTML and look for problems.

Steps:
1. Process the notebooks as `nbdev_proc_nbs` does (nbdev's `proc_nbs`, which writes them to `_proc/`). Where that fails,
   the script says so and reads nbs/*.ipynb directly instead.
2. Render each page (notebooks whose name starts with `_` are skipped) to a self-contained HTML file
   in `--out` (default `_proc/html`); figures and Markdown images are embedded as data URIs. The render
   applies what Quarto would: the front matter becomes the title, `#| include: false` drops a cell, `#| echo: false` its
   code, `#| output: false` its outputs, and `#|` lines are not shown.
3. A page fails when
   (i)   it shows an error: an output of type 'error', or a stderr stream containing 'Traceback';
   (ii)  it references an image (Markdown `![..](path)` or `<img src=...>`, in Markdown cells or
         Markdown/HTML outputs) by a path relative to the notebook folder that does not exist;
   (iii) the ORIGINAL notebook in nbs/ shows a figure (an 'image/png' output) from a cell that is not
         full-scale (no `#| slow` line), except on the pages in LIVE, whose every cell runs at full scale on purpose
         (the quickstart: a reader's first run, on real data, in minutes). Hidden cells are exempt: `#| hide`, cells
         nbdev drops from the docs (`#| export`, `#| exporti`, `#| default_exp`), `#| output: false`, `#| include:
         false`.
   (iv)  it shows what only the build machine knows or a reader cannot use: an absolute path (this checkout, the home
         folder, /tmp, ...), `ForwardRef` in a signature, or a Python repr such as `<Figure size 640x480 ...>`;
   (i), (ii) and (iv) are checked on the processed, reader-view notebooks; (iii) on the originals, since
   processing removes hidden cells and the `#| slow` flag.
   The site fails when `nbs/sidebar.yml` does not list every page exactly once, or lists a file that is not a page,
   and when README.md is not what `tools/make_readme.py` makes of nbs/index.ipynb, or is over 12 KB, or has 200 words
   or more before its install command.
4. The first screen. A page states its question in its description, the `> ...` line under its title (nbdev shows
   it as the subtitle), and answers it in the first paragraph of prose after that: the first Markdown paragraph
   that is not a heading, a quote, an image or badge line, a list, a table, HTML or a code block. Two rules:
   (v)   the answer is at most ANSWER_WORDS (80) words, link targets not counted;
   (vi)  no printed text line (a stream, or an output with nothing richer than text/plain) is wider than CODE_WIDTH
         (92) characters, the code width of the page (measured on a screenshot: see CODE_WIDTH): the page wraps such
         a line in the middle of words, and what it prints belongs in a table (a Markdown or HTML output).
   Every page is measured; (v) and (vi) fail only the pages in FIRST_SCREEN, those whose first screen has been
   reworked. The others get one `note` line per breach and are named in the summary.
5. `--screenshot NAME [NAME ...]` also saves NAME.png beside NAME.html, the full height of the page, with headless
   Chromium (a missing browser is reported, not counted as a problem). Maths is rendered offline when Debian's
   `libjs-mathjax` is installed (`/usr/share/javascript/mathjax`); otherwise the page points at MathJax's CDN.

The page is rendered as the site lays it out (no prompts, the body column of Quarto's grid, 800 pixels, code at
14 pixels), so a screenshot shows where the site wraps a line.

Cells are numbered from 0, as in the notebook file. Prints `ok    PAGE.html` or one `FAIL  PAGE.html: ...`
line per problem, then a summary; exits 1 when there is any problem. The self-test (run first every time, or alone
with --selftest) feeds rules (v) and (vi) pages that must pass and pages that must fail.

Usage (from anywhere): python tools/check_docs.py [--out DIR] [--workers N] [--screenshot index 03_unlearn] [--selftest]
"""
import argparse, re, shutil, subprocess, sys, time, warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit
import nbformat, yaml
from nbconvert import HTMLExporter
from nbdev.process import extract_directives
from nbformat.warnings import MissingIDFieldWarning
sys.path.insert(0, str(Path(__file__).parent))
from make_readme import readme_problems, readme_text  # noqa: E402  (tools/ is not a package)

warnings.filterwarnings('ignore', category=MissingIDFieldWarning)  # processed notebooks carry no cell ids

ROOT = Path(__file__).resolve().parent.parent
NBS, PROC = ROOT/'nbs', ROOT/'_proc'
HIDDEN = {'hide', 'export', 'exporti', 'default_exp'}  # nbdev drops these cells from the docs
MD_IMG = re.compile(r'!\[[^\]]*\]\(\s*<?([^)\s>]+)')   # ![alt](path "title")
HTML_IMG = re.compile(r'<img\b[^>]*?\bsrc\s*=\s*["\']?([^"\'\s>]+)', re.I)
ERROR_LINE = re.compile(r'^[\w.]*(Error|Exception)\b.*:')       # `KeyError: ...` in a traceback
# a build machine's path
ABS_PATH = re.compile(r'(?<![\w.:/~-])/(?:tmp|home|Users|root|work|mnt|opt|var/folders)/[\w.+-]+')
REPR = re.compile(r'ForwardRef\(|<(?:Figure|Axes|matplotlib\.[\w.]+) [^>]*>|<[\w.]+ object at 0x[0-9a-f]+>')
LIVE = {'quickstart'}   # pages whose every cell runs at full scale on purpose: rule (iii) does not apply
FIRST_SCREEN = {   # pages whose first screen is reworked: rules (v) and (vi) fail them (all but 01b_ood_judge, whose
    # wide printout comes from full-scale cells that retrain its judge, about 15 minutes)
    'index', 'guide', 'quickstart', 'results', 'history', 'core', 'progress', 'store', '00_model', '01_baseline',
    '01a_judge', '01c_judges', '02_fisher', '02a_evaluate', '03_unlearn', '03a_methods', '04_viz', '05_capacity_study',
    '06_run', '07_reliability', '08_attacks', '08a_relearn', '08b_quality', '08c_dormant', '09_robustness',
    '10_sequential', '11_instruments', '11a_strength', '11b_lira', '11c_oracles', '12_which_method'}
ANSWER_WORDS = 80       # (v): the most words an answer may take
CODE_WIDTH = 92         # (vi): a ruler printed on a page rendered here wraps after 92 characters (screenshot)
MATHJAX = Path('/usr/share/javascript/mathjax/MathJax.js')   # Debian's libjs-mathjax: maths without the network

# --- notebooks ---------------------------------------------------------------------------------

def pages(folder):
    "Notebooks under `folder` that become pages, skipping names (and folders) starting with `_` or `.`."
    return sorted(p for p in folder.rglob('*.ipynb') if not any(s[0] in '_.' for s in p.relative_to(folder).parts))

def directives(cell):
    "nbdev's reading of the cell's leading `#|` lines, e.g. {'slow': [], 'output:': ['false']}."
    return extract_directives(cell, remove=False) if cell.cell_type == 'code' else {}

def is_off(dirs, key):
    return dirs.get(key + ':', [''])[0].lower() == 'false'

def first_line(cell, n=40):
    "The first line of code that is not a directive, cut to `n` characters, to point at a cell."
    line = next((l.strip() for l in cell.source.splitlines() if l.strip() and not l.startswith('#|')), '')
    return line if len(line) <= n else line[:n-3] + '...'

def process_notebooks(workers):
    """Process the notebooks as nbdev_proc_nbs does (nbdev's `proc_nbs`: directives applied, show_doc cells run),
    without the command's extras: it would try to install Quarto (and the package) first, minutes on a machine without
    Quarto. Return (folder to read pages from, note or None, problem or None)."""
    code = f'from nbdev.serve import proc_nbs; proc_nbs(n_workers={int(workers)})'
    r = subprocess.run([sys.executable, '-c', code], cwd=ROOT, capture_output=True, text=True)
    if r.returncode == 0:
        return PROC, None, None
    return (NBS, 'processing the notebooks failed: reading nbs/*.ipynb directly',
            f'nbdev proc_nbs exited {r.returncode}: {why(r.stderr)}')

def why(stderr):
    "The root error of a traceback and nbdev's line naming the notebook, e.g. `KeyError: 3 (Exception: Error in ...)`."
    errs = ([l.strip() for l in stderr.splitlines() if ERROR_LINE.match(l)] or stderr.strip().splitlines()[-1:]
            or ['no message'])
    return errs[0] if errs[0] == errs[-1] else f'{errs[0]} ({errs[-1]})'

def front_matter(cell):
    "The raw `---` front matter cell becomes the page title and its description, as Quarto shows them."
    head = yaml.safe_load(cell.source.strip().strip('-')) or {}
    if 'title' not in head:
        return None
    about = f"\n\n> {head['description']}" if head.get('description') else ''
    return nbformat.v4.new_markdown_cell(f"# {head['title']}{about}")

def reader_view(nb):
    "Apply the Quarto cell options a reader's page honours, and hide `#|` lines."
    cells = []
    for cell in nb.cells:
        if cell.cell_type == 'raw' and cell.source.startswith('---'):
            cell = front_matter(cell)
        if cell is None:
            continue
        dirs = directives(cell)
        if HIDDEN & dirs.keys() or is_off(dirs, 'include'):
            continue  # as nbdev and Quarto drop them
        if cell.cell_type == 'code':
            if is_off(dirs, 'output'):
                cell.outputs = []
            if is_off(dirs, 'echo'):
                cell.metadata.setdefault('transient', {})['remove_source'] = True
            cell.source = '\n'.join(l for l in cell.source.splitlines() if not l.startswith('#|'))
        cells.append(cell)
    nb.cells = cells
    return nb

# --- checks ------------------------------------------------------------------------------------

def error_outputs(nb):
    "(i) One message per error output or stderr traceback."
    for cell in nb.cells:
        for o in cell.get('outputs', []):
            if o.output_type == 'error':
                yield f'error output in `{first_line(cell)}`: {o.ename}: {o.evalue}'[:160]
            elif o.output_type == 'stream' and o.name == 'stderr' and 'Traceback' in o.text:
                last = o.text.strip().splitlines()[-1]
                yield f'traceback on stderr in `{first_line(cell)}`: {last}'[:160]

def image_refs(nb):
    "Image paths in Markdown cells and in Markdown/HTML outputs."
    texts = [c.source for c in nb.cells if c.cell_type == 'markdown']
    for c in nb.cells:
        for o in c.get('outputs', []):
            texts += [o.get('data', {}).get(k, '') for k in ('text/markdown', 'text/html')]
    for t in texts:
        yield from MD_IMG.findall(t) + HTML_IMG.findall(t)

def missing_images(nb, folder):
    "(ii) Relative image paths that do not exist beside the notebook."
    for ref in image_refs(nb):
        url = urlsplit(ref)
        if url.scheme or url.netloc or url.path.startswith('/') or not url.path:
            continue  # not relative
        if not (folder/unquote(url.path)).exists():
            yield f'missing image {ref}'

def test_size_figures(original):
    "(iii) Figures shown from cells of the original notebook that are not full-scale (`#| slow`)."
    if Path(original).stem in LIVE:
        return
    nb = nbformat.read(original, as_version=4)
    for i, cell in enumerate(nb.cells):
        dirs = directives(cell)
        if 'slow' in dirs or HIDDEN & dirs.keys() or is_off(dirs, 'output') or is_off(dirs, 'include'):
            continue
        if any('image/png' in o.get('data', {}) for o in cell.get('outputs', [])):
            yield f'cell {i} shows a figure from a test-size cell (no #| slow): `{first_line(cell)}`'

def reader_text(nb):
    "Everything a reader sees as text: Markdown cells, shown code, and text, Markdown and HTML outputs."
    for c in nb.cells:
        yield c.source
        for o in c.get('outputs', []):
            yield o.get('text', '') if o.output_type == 'stream' else ''
            yield shown(o.get('data', {}))

def shown(data):
    "The text of an output's richest representation, as a page shows it: plain text only when nothing richer exists."
    rich = [k for k in ('text/html', 'text/markdown') if k in data]
    return data[rich[0]] if rich else '' if {'image/png', 'image/svg+xml'} & data.keys() else data.get('text/plain', '')

def leaks(nb):
    "(iv) Absolute paths, `ForwardRef` and Python reprs on the page, each named once."
    found = {m.group(0) for t in reader_text(nb) for rx in (ABS_PATH, REPR) for m in rx.finditer(t)}
    for f in sorted(found):
        yield f'shows `{f[:60]}`: ' + ('a path of the build machine' if ABS_PATH.fullmatch(f) else 'a Python repr')

def blocks(markdown):
    "The blocks of a Markdown text: paragraphs split at blank lines, a fenced code block kept whole."
    out, block, fenced = [], [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith(('```', '~~~')):
            fenced = not fenced
        if line.strip() or fenced:
            block.append(line)
        elif block:
            out.append('\n'.join(block))
            block = []
    return out + (['\n'.join(block)] if block else [])

NOT_PROSE = ('#', '>', '|', '```', '~~~', '<', '![', '[![', '* ', '- ', '+ ', '$$', ':::')
LIST_ITEM = re.compile(r'^\d+[.)] ')

def question_answer(nb):
    "The page's question (its `> ` description) and answer (the first paragraph of prose after it), or None."
    question = answer = None
    for c in nb.cells:
        for b in blocks(c.source) if c.cell_type == 'markdown' else []:
            if b.startswith('> ') and question is None:
                question = b[2:]
            elif not b.lstrip().startswith(NOT_PROSE) and not LIST_ITEM.match(b.lstrip()):
                return question, b
    return question, answer

LINK = re.compile(r'!?\[([^\]]*)\]\([^)]*\)')   # [text](target): the text is read, the target is not

def words(text):
    "The words a reader reads in Markdown `text`: link targets dropped, tokens holding a letter or digit."
    return [w for w in LINK.sub(r'\1', text).split() if re.search(r'\w', w)]

def long_answer(nb):
    "(v) An answer of more than ANSWER_WORDS words."
    _, answer = question_answer(nb)
    n = len(words(answer or ''))
    if n > ANSWER_WORDS:
        yield f'the answer is {n} words, over {ANSWER_WORDS}: `{answer[:50]}...`'

def printed_text(output):
    "The text an output prints as plain lines: a stream's, or text/plain where nothing richer is shown."
    if output.output_type == 'stream':
        return output.text
    data = output.get('data', {})
    return data.get('text/plain', '') if data.keys() <= {'text/plain'} else ''

def wide_printout(nb):
    "(vi) Cells whose printed text has lines wider than CODE_WIDTH: the page wraps them; a table belongs there."
    for cell in nb.cells:
        lines = [l for o in cell.get('outputs', []) for l in printed_text(o).splitlines()]
        wide = [len(l.expandtabs()) for l in lines if len(l.expandtabs()) > CODE_WIDTH]
        if wide:
            yield (f'`{first_line(cell)}` prints {len(wide)} line(s) wider than the code width, {CODE_WIDTH} '
                   f'characters (widest {max(wide)}): show it as a table')

def first_screen(nb):
    "Breaches of rules (v) and (vi), which count as problems only on the pages in FIRST_SCREEN."
    return [*long_answer(nb), *wide_printout(nb)]

def sidebar_problems(originals):
    "The sidebar lists every page exactly once and nothing else."
    listed = list(yaml_entries(yaml.safe_load((NBS/'sidebar.yml').read_text())['website']['sidebar']['contents']))
    names = {str(o.relative_to(NBS)) for o in originals}
    yield from (f'sidebar.yml lacks {n}' for n in sorted(names - set(listed)))
    yield from (f'sidebar.yml lists {n}, which is not a page' for n in sorted(set(listed) - names))
    yield from (f'sidebar.yml lists {n} twice' for n in sorted({n for n in listed if listed.count(n) > 1}))

def readme_checks():
    "README.md is what the home page makes, and short."
    fresh = readme_text(ROOT)
    stale = (ROOT/'README.md').read_text(encoding='utf-8') != fresh
    return (['README.md is not what nbs/index.ipynb makes: run python tools/make_readme.py'] * stale
            + readme_problems(fresh))

def yaml_entries(contents):
    "The file names in a Quarto sidebar's contents, sections flattened."
    for e in contents:
        if not isinstance(e, dict):
            yield e
        elif 'contents' in e:
            yield from yaml_entries(e['contents'])
        else:
            yield e.get('href', '')

# --- rendering ---------------------------------------------------------------------------------

def render(ex, nb, folder, html_path):
    "Write the page; images are embedded, so the HTML file stands alone."
    html, _ = ex.from_notebook_node(nb, resources={'metadata': {'path': str(folder), 'name': html_path.stem}})
    html = html.replace('</head>', SITE_CSS + '</head>').replace('</body>', HEIGHT_SCRIPT + '</body>')
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(html, encoding='utf-8')

SITE_CSS = ('<style>.jp-Notebook {max-width: 800px; margin: 0 auto; padding: 0}  '
            '.jp-Notebook pre, .jp-Notebook code {font-size: 14px; line-height: 1.4}</style>')
    # Quarto's body column (grid-body-width 800 px) and its code size (0.875 of 16 px)

HEIGHT_SCRIPT = ('<script>addEventListener("load", () => setTimeout(() => document.body.setAttribute("data-height", '
                 'document.documentElement.scrollHeight), 3000))</script>')  # read by page_height

def exporter():
    "nbconvert's JupyterLab page, with maths from the local MathJax when there is one."
    ex = HTMLExporter(template_name='lab', embed_images=True, exclude_input_prompt=True, exclude_output_prompt=True)
    if MATHJAX.exists():
        ex.mathjax_url = MATHJAX.as_uri() + '?config=TeX-AMS_CHTML-full,Safe'
    return ex

def find_chromium(wanted):
    "The browser for the screenshots, if any are wanted; says how to install it when missing."
    browser = wanted and (shutil.which('chromium') or shutil.which('chromium-browser'))
    if wanted and not browser:
        print('note: no chromium or chromium-browser found, no screenshots (apt-get install chromium)')
    return browser

def chromium(browser, html_path, *args):
    "Run headless Chromium on the page; its stdout, or None when it failed or timed out."
    cmd = [browser, '--headless', '--disable-gpu', '--no-sandbox', '--hide-scrollbars', '--virtual-time-budget=20000',
           *args, html_path.resolve().as_uri()]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired:
        return None
    return None if r.returncode else r.stdout

def page_height(browser, html_path, width):
    "The page's full height in pixels at `width`: a script on the page writes it into the DOM Chromium dumps."
    out = chromium(browser, html_path, f'--window-size={width},1000', '--dump-dom')
    m = re.search(r'data-height="(\d+)"', out or '')
    return int(m.group(1)) if m else 4000

def screenshot(browser, html_path, width=1280):
    "Save PAGE.png beside PAGE.html at the page's full height; return a line saying where, or why not."
    png = html_path.with_suffix('.png')
    height = page_height(browser, html_path, width)
    ok = chromium(browser, html_path, f'--window-size={width},{height}', f'--screenshot={png}') is not None
    return (f'      screenshot {png} ({width}x{height})' if ok and png.exists()
            else f'note: screenshot of {html_path.name} failed')

# --- main --------------------------------------------------------------------------------------

def check_page(ex, src, original, html_path):
    "Render one page; return its problems and its breaches of the first-screen rules."
    nb = reader_view(nbformat.read(src, as_version=4))
    problems = [*error_outputs(nb), *missing_images(nb, src.parent), *leaks(nb), *test_size_figures(original)]
    render(ex, nb, src.parent, html_path)
    return problems, first_screen(nb)

def page_lines(name, problems, breaches):
    "The lines that report one page: its problems (FAIL) and its first-screen breaches (FAIL or note)."
    fail = [f'FAIL  {name}: {p}' for p in problems]
    notes = [f'{"FAIL" if Path(name).stem in FIRST_SCREEN else "note"}  {name}: {b}' for b in breaches]
    return fail + notes or [f'ok    {name}']

def selftest():
    "Rules (v) and (vi) fail what they must and pass what they must; a broken rule would pass every page."
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    def page(answer, printed):
        cell = code('print(x)', outputs=[nbformat.v4.new_output('stream', name='stdout', text=printed)])
        head = md('# A page\n\n> Does it hold?\n\n[![badge](b.svg)](x)\n\n![figure](f.png)\n\n## The answer')
        return nbformat.v4.new_notebook(cells=[head, md(answer + '\n\n' + 'later ' * 99), cell])
    at, over = ' '.join(['word'] * ANSWER_WORDS), ' '.join(['[word](target)'] * (ANSWER_WORDS + 1))
    cases = [(page(at, 'x' * CODE_WIDTH), 0), (page(over, 'ok'), 1), (page('Yes.', 'y' * (CODE_WIDTH + 1)), 1),
             (page(over, 'a\n' + 'z' * 200), 2)]
    wrong = [i for i, (nb, n) in enumerate(cases) if len(first_screen(nb)) != n]
    plain = nbformat.v4.new_output('execute_result', data={'text/plain': 'p' * 200})
    rich = nbformat.v4.new_output('execute_result', data={'text/plain': 'p' * 200, 'text/markdown': '| a |'})
    wrong += ['text/plain'] * (len(list(wide_printout(nbformat.v4.new_notebook(cells=[code('t', outputs=[plain])]))))
                               != 1)
    wrong += ['markdown'] * (len(list(wide_printout(nbformat.v4.new_notebook(cells=[code('t', outputs=[rich])])))) != 0)
    wrong += ['question'] * (question_answer(cases[0][0])[0] != 'Does it hold?')
    wrong += ['readme'] * ([len(readme_problems(t)) for t in ('a b pip install', 'w ' * 200 + 'pip install')] != [0, 1])
    return [f'self-test: case {w} of rules (v)/(vi) is judged wrongly' for w in wrong]

def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', type=Path, default=PROC/'html', help='folder for the HTML pages (default _proc/html)')
    p.add_argument('--workers', type=int, default=1, help='workers for nbdev_proc_nbs (default 1)')
    p.add_argument('--screenshot', nargs='+', default=[], metavar='NAME',
                   help='pages to screenshot, e.g. index 03_unlearn')
    p.add_argument('--selftest', action='store_true', help='only check that rules (v) and (vi) can fail and pass')
    return p.parse_args()

def main():
    args, start = parse_args(), time.time()
    broken = selftest()
    print('\n'.join(f'FAIL  {b}' for b in broken) or 'ok    self-test of the first-screen rules (v) and (vi)')
    if broken or args.selftest:
        return 1 if broken else 0
    folder, note, proc_problem = process_notebooks(args.workers)
    if note:
        print(f'note: {note}')
    if proc_problem:
        print(f'FAIL  {proc_problem}')
    problems, noted = [proc_problem] if proc_problem else [], []
    wanted = {Path(n).stem for n in args.screenshot}  # `03_unlearn`, `03_unlearn.ipynb`, `index.html` all work
    ex, browser, originals = exporter(), find_chromium(wanted), pages(NBS)
    for p in [*sidebar_problems(originals), *readme_checks()]:
        print(f'FAIL  {p}')
        problems.append(p)
    for original in originals:
        rel = original.relative_to(NBS)
        src, html_path = folder/rel, (args.out/rel).with_suffix('.html')
        if not src.exists():
            src = original  # processing skipped it: read the original
        found, breaches = check_page(ex, src, original, html_path)
        print('\n'.join(page_lines(html_path.name, found, breaches)))
        problems += found + (breaches if rel.stem in FIRST_SCREEN else [])
        noted += [rel.stem] * bool(breaches and rel.stem not in FIRST_SCREEN)
        if browser and rel.stem in wanted:
            print(screenshot(browser, html_path))
    for name in sorted(wanted - {o.stem for o in originals}):
        print(f'note: no page named {name} to screenshot')
    print(f'first screen: rules (v) and (vi) fail {", ".join(sorted(FIRST_SCREEN))}; breached, noted only: '
          f'{", ".join(noted) or "none"}')
    print(f'docs: {len(originals)} pages, {len(problems)} problems ({time.time() - start:.0f} s, HTML in {args.out})')
    return 1 if problems else 0

if __name__ == '__main__':
    sys.exit(main())
