"""Every labelled letter's whole match is what the golden snapshot holds (see ``tests/golden.py``).

A restructuring must not change an output. When a change is meant to (a better model, a fixed
rule), refresh the snapshot with ``python tests/golden.py write`` and say why in the commit.
"""

from __future__ import annotations

import pytest

import golden

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def current(matcher):
    return golden.snapshot(matcher)


def test_every_labelled_letter_is_in_the_snapshot(current):
    before = golden.read()
    assert sorted(current) == sorted(before)
    assert len(current) >= 250


def test_every_output_is_identical_to_the_snapshot(current):
    before = golden.read()
    changed = {name: list(golden.differences(before[name], current[name]))[:5] for name in current
               if current[name] != before[name]}
    assert not changed, f"{len(changed)} letters changed, e.g. " + "; ".join(
        f"{name}: {lines}" for name, lines in list(changed.items())[:3])


def test_today_is_frozen_while_the_snapshot_is_taken(matcher):
    import datetime
    import nocmatch.matcher as module
    with golden.frozen_today():
        assert module.datetime.date.today() == golden.FROZEN_TODAY
    assert module.datetime is datetime
