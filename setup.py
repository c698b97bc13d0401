"Packaging driven by settings.ini, as in nbdev 2 projects."
from configparser import ConfigParser
import setuptools

cfg = ConfigParser(delimiters=['='])
cfg.read('settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

licenses = {'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License')}
lic = licenses[cfg['license']]
reqs = cfg['requirements'].split()
extras = {'dev': cfg['dev_requirements'].split(), 'ray': cfg['ray_requirements'].split()}
scripts = [s.strip() for s in cfg['console_scripts'].split('\n') if s.strip()]

setuptools.setup(
    name=cfg['lib_name'], version=cfg['version'], description=cfg['description'],
    long_description=open('README.md', encoding='utf-8').read(), long_description_content_type='text/markdown',
    author=cfg['author'], author_email=cfg['author_email'], license=lic[0], url=cfg['git_url'],
    keywords=cfg['keywords'].split(),
    classifiers=['Programming Language :: Python :: 3', 'License :: ' + lic[1], 'Natural Language :: English'],
    packages=setuptools.find_packages(include=['selective_amnesia', 'selective_amnesia.*']),
    package_data={'selective_amnesia': ['assets/*', 'assets/*/*']}, include_package_data=True,
    python_requires='>=' + cfg['min_python'], install_requires=reqs, extras_require=extras,
    entry_points={'console_scripts': scripts, 'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    zip_safe=False)
