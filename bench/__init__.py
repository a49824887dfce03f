"""Benchmarks of cloudrun-acceptance: ratios measured side by side in one run (``python -m bench``)."""
