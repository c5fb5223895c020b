"""The check of one opinion file (``opinions/<id>.yaml``): its name, its keys, its source among
the assessment's ``opinion_sources``, its day, its outcome and the city's answer, every problem
with its line and column; and the warnings that weigh an opinion against the assessment's
milestones (an ``open`` opinion at a 答申 or 公表) or its history (a ``reflected`` opinion that no
commit resolves: the caller finds the commits, this module only words the warning).

Pure: bytes and a path in, an ``OpinionReport`` out; no IO, and nothing here changes a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from piakit.checks._walker import did_you_mean, in_order, start
from piakit.conventions import (
    ANSWERED_KINDS,
    DEFAULT_OPINION_SOURCES,
    OPINION_ID_RE,
    OPINION_KEYS,
    OUTCOMES,
    REQUIRED_OPINION_KEYS,
    RESOLVES,
)
from piakit.errors import Location, Problem

#: The outcomes that are a decision: the 意見対応表 shows the city's answer (市の考え方) for them.
_DECIDED = ("reflected", "not-reflected")
_OPEN = "open"
_REFLECTED = "reflected"


@dataclass(frozen=True)
class OpinionReport:
    """What checking one opinion file found, and what the warnings across files need."""

    path: str
    problems: tuple[Problem, ...]
    opinion_id: str | None = None
    outcome: str | None = None
    received: dt.date | None = None
    #: Where ``outcome`` is written: the warnings about the opinion point there.
    outcome_at: Location | None = None


def check_opinion(
    data: bytes,
    path: str,
    opinion_id: str | None = None,
    sources: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> OpinionReport:
    """Every problem of one opinion file. ``opinion_id`` is its file stem (checked against
    ``OPINION_ID_RE``; ``None`` skips that); ``sources`` its assessment's ``opinion_sources``
    (``None``: the default ones); ``today``, when given, warns of a ``received`` after it
    (a mistyped year)."""
    allowed = tuple(sources) if sources else DEFAULT_OPINION_SOURCES
    walker, root = start(data, path, _misnamed(opinion_id))
    if root is None:
        return OpinionReport(path, tuple(walker.problems), opinion_id)
    hints = {
        "id": f"unknown key 'id': an opinion's id is its file name ({opinion_id or 'the stem'}); "
        "remove the key",
    }
    keys = walker.top_keys(root, OPINION_KEYS, REQUIRED_OPINION_KEYS, "an opinion", hints)
    if "source" in keys:
        node = keys["source"][1]
        source = walker.text(node, "source")
        if source is not None and source.strip() and source not in allowed:
            walker.report(
                node,
                f"source {source!r} is not one of the assessment's opinion_sources "
                f"({', '.join(allowed)}){did_you_mean(source, allowed)}; a new source is added "
                "to opinion_sources in assessment.yaml",
            )
    received: dt.date | None = None
    if "received" in keys:
        node = keys["received"][1]
        if walker.empty(node):
            walker.report(node, "received is empty: write the day the opinion came, YYYY-MM-DD")
        else:
            received = walker.day(node, "received")
            if received is not None and today is not None and received > today:
                walker.problems.append(
                    Problem(
                        walker.at(node),
                        f"received {received} is after today ({today}): is the year right?",
                        warning=True,
                    )
                )
    if "from" in keys:
        walker.text(keys["from"][1], "from", empty_ok=True)
    if "summary" in keys:
        walker.text(keys["summary"][1], "summary")
    response: str | None = None
    if "response" in keys:
        response = walker.text(keys["response"][1], "response", empty_ok=True)
    outcome: str | None = None
    outcome_at: Location | None = None
    if "outcome" in keys:
        node = keys["outcome"][1]
        outcome_at = walker.at(node)
        outcome = walker.text(node, "outcome")
        if outcome is not None and outcome.strip() and outcome not in OUTCOMES:
            listed = ", ".join(f"{key} ({word})" for key, word in OUTCOMES.items())
            walker.report(
                node,
                f"outcome {outcome!r} is not one of {listed}{did_you_mean(outcome, OUTCOMES)}",
            )
            outcome = None
        elif outcome in _DECIDED and not (response or "").strip():
            walker.report(
                node,
                f"an opinion that is {outcome} ({OUTCOMES[outcome]}) needs the city's answer "
                "(市の考え方): write it under response:",
            )
    return OpinionReport(path, in_order(walker.problems), opinion_id, outcome, received, outcome_at)


def _misnamed(opinion_id: str | None) -> str | None:
    """What is wrong with ``opinion_id`` as an opinion id; None when nothing is, or it is not
    known."""
    if opinion_id is None or OPINION_ID_RE.match(opinion_id):
        return None
    return (
        f"{opinion_id!r} cannot be an opinion id: the file name (its id) must be lower-case "
        "ASCII letters, digits and inner hyphens (e.g. bukai-2020-07-01.yaml)"
    )


def check_open_opinions(
    reports: Iterable[OpinionReport],
    milestone_kinds: Iterable[tuple[str, str, dt.date | None]],
    today: dt.date | None = None,
) -> list[Problem]:
    """A warning for each ``open`` opinion when the assessment declares a milestone of a kind
    in ``ANSWERED_KINDS`` (答申, 公表) dated on or after the day the opinion was received, and
    (when ``today`` is given) not after today: by then the opinion should have its answer. A
    milestone without a date, or one still to come, is not weighed."""
    answered = [
        (mid, kind, day)
        for mid, kind, day in milestone_kinds
        if kind in ANSWERED_KINDS and (today is None or (day is not None and day <= today))
    ]
    warnings = []
    for report in reports:
        if report.outcome != _OPEN or report.received is None or report.outcome_at is None:
            continue
        received = report.received
        later = [(mid, kind, day) for mid, kind, day in answered if day and day >= received]
        if not later:
            continue
        mid, kind, day = min(later, key=lambda m: m[2] or received)
        warnings.append(
            Problem(
                report.outcome_at,
                f"the opinion is still open (検討中) at milestone {mid} ({kind}, {day}), which "
                f"came after it was received ({received}): decide it (reflected or "
                "not-reflected) and write the city's answer under response:",
                warning=True,
            )
        )
    return warnings


def unresolved_warning(report: OpinionReport, slug: str) -> Problem:
    """The warning for a ``reflected`` opinion that no commit resolves."""
    at = report.outcome_at or Location(report.path, 1, 1)
    return Problem(
        at,
        f"the opinion is reflected (反映する) but no commit says so: the commit that makes the "
        f"change carries the trailer '{RESOLVES}: {slug}/{report.opinion_id}'",
        warning=True,
    )


def is_reflected(report: OpinionReport) -> bool:
    """Whether the opinion reads as ``reflected`` (the history is then asked about it)."""
    return report.outcome == _REFLECTED
