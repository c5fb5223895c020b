"""The comparison table as JSON: the form docs/format.md gives, which other tools and tests rely on.

Exactly ``ComparisonTable.to_json()``, indented, Japanese kept as UTF-8 rather than ``\\u``
escapes so that a reviewer can read it. Nothing may be added here that ``to_json`` lacks.
"""

from __future__ import annotations

import json

from piakit.model import ComparisonTable


def render(table: ComparisonTable) -> bytes:
    return (json.dumps(table.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
