"""Runs the bad-input suite against real servers: zero 5xx, zero crashes, no
silence, no server traceback, earlier events intact, on every channel."""

import pytest


@pytest.fixture(scope="module")
def results(robustness, tmp_path_factory):
    """One run of the whole suite (servers started and stopped inside)."""
    return {r.channel: r for r in robustness.run_suite(tmp_path_factory.mktemp("bad"))}


@pytest.mark.parametrize("channel", ["REST", "socket.io (widget)", "Telegram webhook"])
def test_channel_survives_bad_inputs(results, channel):
    result = results[channel]
    assert result.sent >= 200
    assert result.errors_5xx == 0, result.failures
    assert not result.crashed
    assert result.server_tracebacks == 0, result.failures
    assert result.transport_errors == 0, result.failures
    assert result.silent == 0, result.failures
    assert result.history_intact, result.failures
