"Packaging driven by settings.ini, as in nbdev 2 projects."
from configparser import ConfigParser
import setuptools

cfg = ConfigParser(delimiters=['='])
cfg.read('settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

# settings.ini keeps nbdev's licence key (`license = apache2`); the package metadata carries the SPDX
# expression (PEP 639) instead of a licence classifier, which setuptools deprecates.
licenses = {'apache2': 'Apache-2.0'}
reqs = cfg['requirements'].split()
extras = {'dev': cfg['dev_requirements'].split(), 'ray': cfg['ray_requirements'].split()}
scripts = [s.strip() for s in cfg['console_scripts'].split('\n') if s.strip()]

setuptools.setup(
    name=cfg['lib_name'], version=cfg['version'], description=cfg['description'],
    long_description=open('README.md', encoding='utf-8').read(), long_description_content_type='text/markdown',
    author=cfg['author'], author_email=cfg['author_email'], license_expression=licenses[cfg['license']], url=cfg['git_url'],
    keywords=cfg['keywords'].split(),
    classifiers=['Programming Language :: Python :: 3', 'Natural Language :: English'],
    # Python packages only; the root is the project folder, said outright so that an editable install
    # puts that folder on sys.path (a .pth line) instead of setuptools' import hook, which warns on every install.
    package_dir={'': '.'}, packages=setuptools.find_packages(include=['selective_amnesia', 'selective_amnesia.*']),
    # assets/ and all its subfolders (judges, baseline, anything added later) are data of selective_amnesia,
    # listed by a recursive glob; include_package_data stays off, since with it setuptools takes each assets
    # folder for a package missing from `packages` and warns (future setuptools leaves such files out).
    package_data={'selective_amnesia': ['assets/**/*']}, include_package_data=False,
    python_requires='>=' + cfg['min_python'], install_requires=reqs, extras_require=extras,
    entry_points={'console_scripts': scripts, 'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    zip_safe=False)
