"""Records that several review use cases share: what became of an item between two versions.

Plain types, no behaviour: the PR diff (``ItemChange``) and an item's log (``LogEntry``) both
say whether an item was added, deleted, modified or renamed, and the renderers read it.
"""

from __future__ import annotations

from typing import Literal

#: What became of an item between two versions of it.
ChangeStatus = Literal["added", "deleted", "modified", "renamed"]
