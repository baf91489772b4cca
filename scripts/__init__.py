"""Command-line tools (make eval, bench, reports): importable modules, thin CLIs."""
