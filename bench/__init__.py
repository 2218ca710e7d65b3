"""Benchmarks: `make bench` runs them all (bench/__main__.py); each module also runs alone."""
