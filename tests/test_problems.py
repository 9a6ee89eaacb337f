"""One Problem type: its gate decides its severity, whether it stops the build, and how it is written."""

import json

from careleaf.checks.problems import ERROR, NOTE, WARNING, Gate, Problem


def test_each_gate_has_the_severity_and_blocking_of_the_old_pairs():
    # (severity, stops the build) as the validator reported them before the gate was one field.
    assert {gate: (gate.severity, Problem("p.md", 1, None, None, "c", "m", gate).stops_build) for gate in Gate} == {
        Gate.STOPS_BUILD: (ERROR, True),
        Gate.FAILS_STRICT: (ERROR, False),
        Gate.ADVISORY: (WARNING, False),
        Gate.DECLARED: (NOTE, False),
    }
    assert Problem("p.md", 1, None, None, "c", "m").gate is Gate.STOPS_BUILD


def test_a_declared_open_item_is_written_as_a_note():
    problem = Problem("docs/es/a.md", 1, "es", "a", "translation-missing", "not yet", Gate.DECLARED)
    assert problem.human() == "docs/es/a.md:1: note: not yet [translation-missing]"
    assert problem.as_dict()["severity"] == "note"


def test_a_problem_is_written_as_before():
    problem = Problem("docs/es/a.md", 7, "es", "a", "tier-order", "cards should run", Gate.ADVISORY)
    assert problem.human() == "docs/es/a.md:7: warning: cards should run [tier-order]"
    assert json.dumps(problem.as_dict()) == (
        '{"path": "docs/es/a.md", "line": 7, "language": "es", "article": "a", "code": "tier-order", '
        '"message": "cards should run", "severity": "warning"}'
    )
