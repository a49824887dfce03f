"""Run record, JUnit properties, markdown report and terminal line; imports model only.

The reporter (reporter.py), which pytest calls, is the one module here that imports pytest.
"""
