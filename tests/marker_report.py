"""A pytest plugin for tests/test_markers.py: after collection, each test's id and markers, one line
each, into the file CARELEAF_MARKER_REPORT names (one collection answers every selection)."""

from __future__ import annotations

import os


def pytest_collection_finish(session) -> None:
    with open(os.environ["CARELEAF_MARKER_REPORT"], "w", encoding="utf-8") as report:
        for item in session.items:
            print(item.nodeid, *sorted({marker.name for marker in item.iter_markers()}), sep="\t", file=report)
