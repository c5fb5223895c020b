"""Validation of item, assessment and opinion files against the format, every problem with its line.

Pure: the bytes of a file and its path in, ``Problem`` records (``path:line:col: message``) out.
The YAML is composed, not constructed, so that every key and value keeps its line and column,
duplicate keys and aliases are seen instead of silently resolved, and nothing is expanded.
Checks that need several files (duplicate ``order``, the names in ``items/``) take what the
single-file checks found. No IO, no git: finding and reading the files is ``files``' job,
and nothing here ever changes a file.

- ``_walker``: walks one composed file, reading its nodes and collecting problems;
- ``_items``, ``_assessments``, ``_opinions``: the check of one item file, of one
  ``assessment.yaml``, of one opinion file (and the warnings about opinions);
- ``_folders``: the checks across the files of one assessment folder;
- ``_headings``: sibling headings that differ only in spelling (a warning).
"""

from __future__ import annotations

from piakit.checks._assessments import AssessmentReport, check_assessment
from piakit.checks._folders import check_item_names, check_opinion_names, check_orders
from piakit.checks._headings import check_heading_spellings, heading_key
from piakit.checks._items import ItemReport, check_item
from piakit.checks._opinions import (
    OpinionReport,
    check_open_opinions,
    check_opinion,
    is_reflected,
    unresolved_warning,
)
from piakit.checks._walker import did_you_mean

__all__ = [
    "AssessmentReport",
    "ItemReport",
    "OpinionReport",
    "check_assessment",
    "check_heading_spellings",
    "check_item",
    "check_item_names",
    "check_open_opinions",
    "check_opinion",
    "check_opinion_names",
    "check_orders",
    "did_you_mean",
    "heading_key",
    "is_reflected",
    "unresolved_warning",
]
