"""The one thing pyproject.toml cannot say without an experimental table: kg._cut, jieba's
dictionary, dictionary-only cut and part-of-speech tagger compiled (kg/_cut.c; kg/nlp.py holds
the pure-Python cut, and jieba itself is the reference of the rest).

Optional: where it does not compile (no C compiler or Python headers) kg still installs, and
kg.nlp says so once and uses jieba itself (the same answers, slower).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("kg._cut", sources=["kg/_cut.c"], optional=True)])
