"""JSON Schemas of the item, assessment and opinion files, for completion and checks in an editor.

Draft-07, which the YAML language server (VS Code's YAML extension, and others) reads best.
The schemas describe the shape of the files; ``piakit check`` stays the authority (it also
checks what a schema cannot say: a ``select`` value outside its ``options``, ids, duplicate
``order`` across files). The same schemas are shipped as ``piakit/schemas/*.schema.json`` so
that an editor can point at them without running piakit; a test keeps the two equal.
"""

from __future__ import annotations

import json
from typing import Any

from piakit.conventions import (
    DEFAULT_OPINION_SOURCES,
    MILESTONE_ID_RE,
    MILESTONE_KINDS,
    NAME_RE,
    OPINION_ID_RE,
    OUTCOMES,
    REQUIRED_OPINION_KEYS,
)

DRAFT = "http://json-schema.org/draft-07/schema#"
KINDS = ("item", "assessment", "opinion")
#: A day as the files write it: the pattern of YYYY-MM-DD (check says whether the day exists).
_DAY = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "YYYY-MM-DD"}

_TEXT = {"type": "string", "minLength": 1}


def item_schema() -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "title": "piakit item (assessments/<slug>/items/<id>.yaml)",
        "description": "One item of a 特定個人情報保護評価書. The file name (without .yaml) is "
        f"the item's id, matching {NAME_RE.pattern}. The value is exactly one of text, "
        "choices and select.",
        "type": "object",
        "additionalProperties": False,
        "required": ["path", "page", "order"],
        "oneOf": [
            {
                "required": ["text"],
                "not": {"anyOf": [{"required": ["choices"]}, {"required": ["select"]}]},
            },
            {
                "required": ["choices"],
                "not": {"anyOf": [{"required": ["text"]}, {"required": ["select"]}]},
            },
            {
                "required": ["select"],
                "not": {"anyOf": [{"required": ["text"]}, {"required": ["choices"]}]},
            },
        ],
        "properties": {
            "path": {
                "description": "The headings of the form, outermost first (e.g. "
                "II. 特定個人情報ファイルの概要, 4. 特定個人情報ファイルの取扱いの委託, "
                "委託事項3, ⑥委託先名).",
                "type": "array",
                "minItems": 1,
                "items": _TEXT,
            },
            "page": {
                "description": "The page of the printed document.",
                "type": "integer",
                "minimum": 1,
            },
            "order": {
                "description": "The position in the document; rows sort by it. Unique within "
                "an assessment.",
                "type": "integer",
                "minimum": 0,
            },
            "important": {
                "description": "true for an item whose change is a 重要な変更 (the form's ※ "
                "items): changing it means the assessment must be redone.",
                "type": "boolean",
            },
            "text": {
                "description": "Free text as a block scalar (text: |), one paragraph or "
                "bullet (・…) per line. Empty: no entry (記載なし).",
                "type": ["string", "null"],
            },
            "choices": {
                "description": "A checkbox group: [○] 紙 / [ ] 電子メール.",
                "type": ["array", "null"],
                "items": {"$ref": "#/definitions/choice"},
            },
            "select": {
                "description": "One chosen option of a fixed list: [委託する] (3) 件.",
                "oneOf": [{"type": "null"}, {"$ref": "#/definitions/select"}],
            },
        },
        "definitions": {
            "choice": {
                "type": "object",
                "additionalProperties": False,
                "required": ["label"],
                "properties": {
                    "label": {**_TEXT, "description": "The box's label."},
                    "checked": {"type": "boolean", "default": False, "description": "Ticked."},
                    "note": {
                        "type": ["string", "null"],
                        "description": "The parenthesised text after the box: その他 (…).",
                    },
                },
            },
            "select": {
                "type": "object",
                "additionalProperties": False,
                "required": ["value"],
                "properties": {
                    "value": {**_TEXT, "description": "The option chosen."},
                    "suffix": {
                        "type": ["string", "null"],
                        "description": "Text after the choice, e.g. (3) 件.",
                    },
                    "options": {
                        "type": "array",
                        "uniqueItems": True,
                        "items": _TEXT,
                        "description": "The options of the form; value must be one of them.",
                    },
                },
            },
        },
    }


def assessment_schema() -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "title": "piakit assessment (assessments/<slug>/assessment.yaml)",
        "description": "The metadata of one 特定個人情報保護評価書 and its milestones.",
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "milestones"],
        "properties": {
            "title": {**_TEXT, "description": "e.g. 国民年金に関する事務 全項目評価書"},
            "affair": {**_TEXT, "description": "The affair's short name, e.g. 国民年金."},
            "organization": {**_TEXT, "description": "e.g. 千葉市"},
            "form": {**_TEXT, "description": "The form version, e.g. 平成30年5月 様式4."},
            "milestones": {
                "description": "The stages of the document, in order. Each is bound to a "
                "commit by the tag <slug>/<id> or a 'Milestone: <slug>/<id>' trailer.",
                "type": "array",
                "items": {"$ref": "#/definitions/milestone"},
            },
            "reason_categories": {
                "description": "The allowed Reason-Category values; absent: any.",
                "type": ["array", "null"],
                "uniqueItems": True,
                "items": _TEXT,
            },
            "opinion_sources": {
                "description": "Where the opinions (opinions/<id>.yaml) may come from; absent: "
                f"{', '.join(DEFAULT_OPINION_SOURCES)}.",
                "type": ["array", "null"],
                "minItems": 1,
                "uniqueItems": True,
                "items": _TEXT,
            },
        },
        "definitions": {
            "milestone": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "label"],
                "properties": {
                    "id": {
                        "type": "string",
                        "pattern": MILESTONE_ID_RE.pattern,
                        "description": "e.g. current, R2.6.30; part of the tag <slug>/<id>.",
                    },
                    "label": {**_TEXT, "description": "e.g. 修正案 (R2.6.30諮問時)"},
                    "kind": {
                        "description": "The stage of the assessment cycle it marks; 公表 is the "
                        "published assessment, from which piakit status counts the deadlines.",
                        "enum": [*MILESTONE_KINDS, None],
                    },
                    "date": {**_DAY},
                },
            },
        },
    }


def opinion_schema() -> dict[str, Any]:
    outcomes = ", ".join(f"{key} ({word})" for key, word in OUTCOMES.items())
    return {
        "$schema": DRAFT,
        "title": "piakit opinion (assessments/<slug>/opinions/<id>.yaml)",
        "description": "One opinion (意見) received on the assessment, from public comment or "
        "the third-party review, and what the city did with it. The file name (without .yaml) "
        f"is the opinion's id, matching {OPINION_ID_RE.pattern}; a commit that answers it "
        "carries the trailer 'Resolves: <slug>/<id>'.",
        "type": "object",
        "additionalProperties": False,
        "required": list(REQUIRED_OPINION_KEYS),
        "properties": {
            "source": {
                **_TEXT,
                "description": "Where it came from: one of the assessment's opinion_sources "
                f"(default {', '.join(DEFAULT_OPINION_SOURCES)}).",
                "examples": list(DEFAULT_OPINION_SOURCES),
            },
            "received": {**_DAY, "description": "The day it was received, YYYY-MM-DD."},
            "from": {
                "type": ["string", "null"],
                "description": "Who gave it, e.g. 情報公開・個人情報保護審議会 第2部会.",
            },
            "summary": {**_TEXT, "description": "意見の概要, as a block scalar (summary: |)."},
            "response": {
                "type": ["string", "null"],
                "description": "市の考え方, as a block scalar (response: |); needed once the "
                "outcome is reflected or not-reflected.",
            },
            "outcome": {
                "description": f"What was done with it: {outcomes}.",
                "enum": list(OUTCOMES),
            },
        },
        "if": {"properties": {"outcome": {"enum": ["reflected", "not-reflected"]}}},
        "then": {"required": ["response"], "properties": {"response": _TEXT}},
    }


def schema(kind: str) -> dict[str, Any]:
    if kind == "opinion":
        return opinion_schema()
    return item_schema() if kind == "item" else assessment_schema()


def schema_text(kind: str) -> str:
    """The schema as the shipped file holds it: indented JSON, UTF-8, final newline."""
    return json.dumps(schema(kind), ensure_ascii=False, indent=2) + "\n"
