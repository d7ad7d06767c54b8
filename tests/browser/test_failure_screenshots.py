"""The final page is saved only for a failed test: the phase reports that conftest's hook
keeps on each test item, which the `app` fixture reads at teardown."""

from types import SimpleNamespace

import pytest

from tests.browser.conftest import failed_so_far, pytest_runtest_makereport


def _report(item, when: str, outcome: str) -> None:
    report = SimpleNamespace(when=when, failed=outcome == "failed")
    wrapper = pytest_runtest_makereport(item, call=None)
    next(wrapper)
    with pytest.raises(StopIteration) as returned:
        wrapper.send(report)
    assert returned.value.value is report  # handed on unchanged


@pytest.mark.parametrize(
    ("phases", "failed"),
    [
        ([], False),
        ([("setup", "passed"), ("call", "passed")], False),
        ([("setup", "passed"), ("call", "skipped")], False),
        ([("setup", "passed"), ("call", "failed")], True),
        ([("setup", "failed")], True),
    ],
)
def test_a_test_counts_as_failed_when_one_of_its_phases_failed(phases, failed):
    item = SimpleNamespace(stash=pytest.Stash())
    for when, outcome in phases:
        _report(item, when, outcome)
    assert failed_so_far(item) is failed
