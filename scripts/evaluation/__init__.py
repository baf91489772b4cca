"""The simulated-patient evaluation behind `make eval` (CLI: scripts/eval.py)."""
