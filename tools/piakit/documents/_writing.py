"""Writing an assessment's YAML files: records or round-trip data in, canonical text out.

The canonical form: keys in the documented order, block literals for text, no line wrapping,
LF line ends, one final newline, through ruamel's round-trip dumper. This module never writes
a file and never talks to git: the caller decides where the text goes.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML

from piakit.documents._mapping import assessment_to_data, item_to_data
from piakit.model import Assessment, Item


def round_trip_yaml() -> YAML:
    """A YAML instance with the canonical round-trip settings (never wrap, two-space
    indentation, unicode as it is, quotes kept), for parsing a file to rewrite and for
    writing."""
    yaml = YAML(typ="rt")
    yaml.width = 1 << 30  # never wrap: a save must not reformat text nobody edited
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    return yaml


def dump_round_trip(data: Any) -> str:
    """Serialize round-trip data exactly: unlike ``dump_yaml`` nothing is stripped from the
    end, so a ``|+`` block keeps its trailing lines. LF line ends, one final newline."""
    stream = io.StringIO()
    round_trip_yaml().dump(data, stream)
    text = stream.getvalue()
    return text if text.endswith("\n") else text + "\n"


def dump_yaml(data: Any) -> str:
    """Serialize with the canonical round-trip settings; LF line ends, one final newline."""
    stream = io.StringIO()
    round_trip_yaml().dump(data, stream)
    return stream.getvalue().rstrip("\n") + "\n"


def dump_item(item: Item) -> str:
    """The canonical text of an item file."""
    return dump_yaml(item_to_data(item))


def dump_assessment(assessment: Assessment) -> str:
    """The canonical text of an ``assessment.yaml``."""
    return dump_yaml(assessment_to_data(assessment))
