"""The benchmark behind `make bench` (CLI: scripts/bench.py)."""
