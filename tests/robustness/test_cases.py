"""The bad-input suite itself: enough cases, every kind the issue names."""

REQUIRED_TEXT_CATEGORIES = {
    "empty",
    "size",
    "binary",
    "invalid-unicode",
    "script",
    "sql",
    "language",
    "emoji",
}


def test_every_channel_gets_at_least_200_inputs(robustness):
    counts = robustness.case_counts()
    assert set(counts) == {"REST", "socket.io (widget)", "Telegram webhook"}
    assert min(counts.values()) >= 200, counts


def test_text_cases_cover_the_named_kinds(robustness):
    categories = {case.category for case in robustness.text_cases()}
    assert REQUIRED_TEXT_CATEGORIES <= categories
    assert max(len(case.value) for case in robustness.text_cases()) >= 1_000_000


def test_raw_rest_cases_include_malformed_bodies(robustness):
    cases = robustness.rest_raw_cases("someone")
    categories = {case.category for case in cases}
    assert {"empty-body", "not-json", "invalid-utf8", "nested", "not-object"} <= (
        categories
    )
    assert {"wrong-type", "missing-field", "bad-sender"} <= categories
    for case in cases:
        assert isinstance(case.value, bytes)


def test_case_names_are_unique_per_list(robustness):
    for cases in (
        robustness.text_cases(),
        robustness.rest_raw_cases("s"),
        robustness.telegram_raw_cases(1),
        robustness.socketio_bad_payloads("s"),
    ):
        names = [(case.category, case.name) for case in cases]
        assert len(names) == len(set(names))


def test_report_lists_every_channel_with_counts(robustness):
    result = robustness.ChannelResult("REST", sent=3, answered_2xx=2, refused_4xx=1)
    result.history_intact = True
    report = robustness.render_report([result], "make robustness")
    assert report.startswith("# Robustness")
    assert "`make robustness`" in report
    assert "| REST | 3 | 2 | 1 | 0 |" in report
