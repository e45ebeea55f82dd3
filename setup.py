"""Only for `scrapyd-deploy`, which builds the project egg with `setup.py bdist_egg`.

Everything (metadata, packages, the `scrapy` settings entry point) comes from
pyproject.toml; pip and every other tool use pyproject.toml directly.
"""

from setuptools import setup

setup()
