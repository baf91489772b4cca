"""The bad-input suite starts real servers and needs a trained model: collected
only when RELIABILITY_SERVERS=1 (`make test-reliability`, after `make train`)."""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "robustness.py"

collect_ignore = (
    [] if os.environ.get("RELIABILITY_SERVERS") == "1" else ["test_bad_inputs.py"]
)


@pytest.fixture(scope="session")
def robustness():
    """scripts/robustness.py as a module (loaded by path: it is a script)."""
    name = "robustness_script"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, SCRIPT)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
