"""The bad-input suite behind `make robustness` (CLI: scripts/robustness.py)."""
