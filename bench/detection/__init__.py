"""Detection-quality bench: Residency's detector and decision path against plain Presidio.

Run `python -m bench.detection.evaluate`; see bench/detection/README.md.
"""
