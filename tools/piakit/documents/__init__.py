"""The YAML files of an assessment, ``assessment.yaml``, ``items/<id>.yaml`` and
``opinions/<id>.yaml``: read, guarded, mapped to records and written in the canonical form
(docs/format.md).

- ``_loading``: bytes to data, node trees or records; the guard against hostile YAML.
- ``_fast_reader``: the canonical form of an item read line by line, without a YAML parser.
- ``_mapping``: YAML data to ``Item`` and ``Assessment`` and back; pure.
- ``_writing``: records or round-trip data to canonical text.

Callers use the names below. Nothing in this package talks to git or writes a file: the caller
decides where bytes come from and where they go.
"""

from __future__ import annotations

from piakit.documents._fast_reader import read_item as read_canonical_item
from piakit.documents._loading import (
    MAX_FILE_BYTES,
    _safe,
    compose_yaml,
    decode,
    guard_structure,
    impossible_value,
    load_assessment,
    load_item,
    load_opinion,
    load_round_trip,
    load_yaml,
)
from piakit.documents._mapping import fits_literal_block, item_from_data
from piakit.documents._writing import dump_assessment, dump_item, dump_round_trip

__all__ = [
    "MAX_FILE_BYTES",
    "_safe",  # the loader itself, which tests/test_fast_paths.py compares with ruamel's
    "compose_yaml",
    "decode",
    "dump_assessment",
    "dump_item",
    "dump_round_trip",
    "fits_literal_block",
    "guard_structure",
    "impossible_value",
    "item_from_data",
    "load_assessment",
    "load_item",
    "load_opinion",
    "load_round_trip",
    "load_yaml",
    "read_canonical_item",
]
