"""The one thing pyproject.toml cannot say without an experimental table: kg._cut, jieba's
dictionary-only cut compiled (kg/_cut.c; kg/nlp.py holds the pure-Python reference).

Optional: where it does not compile (no C compiler or Python headers) kg still installs, and
kg.nlp says so once and cuts in Python (the same words, slower).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("kg._cut", sources=["kg/_cut.c"], optional=True)])
