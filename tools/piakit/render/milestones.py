"""``piakit milestone list`` as text (an aligned table; warnings for stderr) and as JSON."""

from __future__ import annotations

import json
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from piakit.reports import MilestoneListing


def listing_json(listing: MilestoneListing) -> str:
    """The listing as indented JSON, Japanese kept readable."""
    data = {
        "assessment": listing.slug,
        "milestones": [
            {
                "id": row.milestone.id,
                "label": row.milestone.label,
                "date": row.milestone.date.isoformat() if row.milestone.date else None,
                "commit": row.bound.commit if row.bound else None,
                "source": row.bound.source if row.bound else None,
                "subject": row.subject,
                "planned": row.bound is None,
            }
            for row in listing.rows
        ],
        "undeclared_tags": [{"tag": name, "commit": sha} for name, sha in listing.undeclared_tags],
        "findings": [
            {
                "kind": f.kind,
                "severity": f.severity,
                "milestone": f.milestone,
                "message": f.message,
                "hint": f.hint,
                "commits": list(f.commits),
            }
            for f in listing.findings
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def listing_text(listing: MilestoneListing) -> tuple[list[str], list[str]]:
    """The lines for stdout (title and one aligned line per milestone) and for stderr (the
    undeclared tags and the findings)."""
    out = [f"{listing.slug}: {listing.title}"]
    table = []
    for row in listing.rows:
        date = row.milestone.date.isoformat() if row.milestone.date else "-"
        bound = f"{row.bound.commit[:7]} ({row.bound.source})" if row.bound else "planned"
        table.append([row.milestone.id, row.milestone.label, date, bound, row.subject or ""])
    if not table:
        out.append("  no milestone declared yet: piakit milestone add SLUG ID --label …")
    widths = [max((_width(r[i]) for r in table), default=0) for i in range(4)]
    for cells in table:
        out.append(
            "  "
            + "  ".join(_pad(c, w) for c, w in zip(cells, widths, strict=False))
            + "  "
            + cells[4]
        )
    err = [
        f"  warning: tag {name} ({sha[:7]}) names no declared milestone"
        for name, sha in listing.undeclared_tags
    ]
    err += [f"  {finding.severity}: {finding}" for finding in listing.findings]
    return out, err


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)
