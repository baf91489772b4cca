"""The bad-input suite starts real servers and needs a trained model: collected
only when RELIABILITY_SERVERS=1 (`make test-reliability`, after `make train`)."""

import os

import pytest

collect_ignore = (
    [] if os.environ.get("RELIABILITY_SERVERS") == "1" else ["test_bad_inputs.py"]
)


@pytest.fixture(scope="session")
def robustness():
    """scripts/robustness.py, imported as a module of the scripts package."""
    from scripts import robustness

    return robustness
