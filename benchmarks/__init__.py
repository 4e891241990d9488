"""Performance benchmarks of issue 9: see ``benchmarks/run.py`` (``python -m benchmarks``)."""
