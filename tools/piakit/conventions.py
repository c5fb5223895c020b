"""The format's names, in one place: where files live, what names may be, the keys of the
files in their order, and the commit trailers that carry reasons (docs/format.md).

Every other module asks this one: nothing else spells a folder, a file name, a name pattern,
a key order or a trailer key, or takes an item path apart. Pure: strings in, strings out.
"""

from __future__ import annotations

import re

# --- the repository's layout -------------------------------------------------------------------

#: The folder of the assessments, from the top of the work tree (or of the folder piakit runs in).
ASSESSMENTS_DIR = "assessments"
#: Each assessment's own file: title, organization, milestones.
ASSESSMENT_FILE = "assessment.yaml"
#: The folder of an assessment's items, one file ``<id>.yaml`` each.
ITEMS_DIR = "items"
ITEM_SUFFIX = ".yaml"
#: The folder of an assessment's opinions (意見), one file ``<id>.yaml`` each.
OPINIONS_DIR = "opinions"

# --- names -------------------------------------------------------------------------------------

#: An assessment's slug (its folder) and an item's id (its file name without ``.yaml``): lower
#: case ASCII letters, digits, ``.``, ``_`` and ``-``, starting with a letter or a digit. Safe
#: as a file name, a URL path segment and a git tag component on every system.
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
#: The slug ``piakit new`` gives a new assessment: lower-case ASCII letters, digits and inner
#: hyphens only (``kokumin-nenkin``). ``NAME_RE`` still reads the ``.`` and ``_`` that an
#: imported or older assessment may have.
NEW_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
#: A milestone's id: ASCII letters, digits, ``.``, ``_`` and ``-``, not starting with a
#: punctuation mark nor ending with a dot (``R2.6.30``, ``current``): a git tag component.
MILESTONE_ID_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_-])?$")
#: An opinion's id (its file name without ``.yaml``, e.g. ``bukai-2020-07-01``): lower-case
#: ASCII letters, digits and inner hyphens, as a new slug; never a path.
OPINION_ID_RE = NEW_SLUG_RE

# --- the files' keys, in the order the canonical form writes them ------------------------------

ITEM_KEYS = ("path", "page", "order", "important", "text", "choices", "select")
ASSESSMENT_KEYS = (
    "title",
    "affair",
    "organization",
    "form",
    "milestones",
    "reason_categories",
    "opinion_sources",
)
REQUIRED_ITEM_KEYS = ("path", "page", "order")
REQUIRED_ASSESSMENT_KEYS = ("title", "milestones")
#: An item holds exactly one value, under one of these keys.
VALUE_KEYS = ("text", "choices", "select")
CHOICE_KEYS = ("label", "checked", "note")
SELECT_KEYS = ("value", "suffix", "options")
MILESTONE_KEYS = ("id", "label", "kind", "date")
OPINION_KEYS = ("source", "received", "from", "summary", "response", "outcome")
REQUIRED_OPINION_KEYS = ("source", "received", "summary", "outcome")

# --- the assessment cycle ----------------------------------------------------------------------

#: A milestone's ``kind``: the stage of the assessment cycle it marks, in the cycle's order.
MILESTONE_KINDS = ("素案", "意見募集", "諮問", "答申", "提出", "公表", "見直し", "修正")
#: The kind of a published assessment (its 5-year and yearly deadlines run from it).
PUBLISHED_KIND = "公表"
#: The kinds that count as the yearly review (the newest of them + 1 year is the next due).
REVIEW_KINDS = ("公表", "見直し", "修正")
#: The kinds at which an opinion should no longer be open.
ANSWERED_KINDS = ("答申", "公表")
#: Where opinions come from, unless ``assessment.yaml`` names ``opinion_sources``.
DEFAULT_OPINION_SOURCES = ("意見募集", "第三者点検")
#: An opinion's ``outcome`` and how the 意見対応表 says it.
OUTCOMES = {"reflected": "反映する", "not-reflected": "反映しない", "open": "検討中"}

# --- commit trailers ---------------------------------------------------------------------------

#: Trailer keys piakit reads. ASCII only: git does not parse non-ASCII keys.
REASON_CATEGORY = "Reason-Category"
REASON = "Reason"
MILESTONE = "Milestone"
SUBMISSION = "Submission"
SUBMISSION_NOTE = "Submission-Note"
#: ``Resolves: <slug>/<opinion id>``: the commit answers that opinion (one trailer each).
RESOLVES = "Resolves"
#: Trailers kept on a commit besides reasons and milestones, key → value.
EXTRA_TRAILERS = (SUBMISSION, SUBMISSION_NOTE, RESOLVES)

# --- paths, built and taken apart --------------------------------------------------------------


def assessment_path(assessments_dir: str, slug: str) -> str:
    """``<assessments_dir>/<slug>/assessment.yaml``."""
    return f"{assessments_dir}/{slug}/{ASSESSMENT_FILE}"


def items_prefix(assessments_dir: str, slug: str) -> str:
    """``<assessments_dir>/<slug>/items/``: what every item path of ``slug`` starts with."""
    return f"{assessments_dir}/{slug}/{ITEMS_DIR}/"


def item_path(assessments_dir: str, slug: str, item_id: str) -> str:
    """``<assessments_dir>/<slug>/items/<item_id>.yaml``."""
    return f"{items_prefix(assessments_dir, slug)}{item_id}{ITEM_SUFFIX}"


def item_id_under(path: str, prefix: str) -> str | None:
    """The item id of ``path`` when it is ``<prefix><id>.yaml`` (``prefix`` from
    ``items_prefix``), else None: a file in a subfolder of ``items/`` is no item."""
    if not path.startswith(prefix) or not path.endswith(ITEM_SUFFIX):
        return None
    stem = path[len(prefix) : -len(ITEM_SUFFIX)]
    return stem if "/" not in stem else None


def split_item_path(path: str, assessments_dir: str) -> tuple[str, str] | None:
    """(slug, item id) of ``<assessments_dir>/<slug>/items/<id>.yaml``, else None."""
    return _split_record_path(path, assessments_dir, ITEMS_DIR)


def _split_record_path(path: str, assessments_dir: str, folder: str) -> tuple[str, str] | None:
    """(slug, record id) of ``<assessments_dir>/<slug>/<folder>/<id>.yaml``, else None."""
    prefix = f"{assessments_dir}/"
    if not path.startswith(prefix) or not path.endswith(ITEM_SUFFIX):
        return None
    parts = path[len(prefix) :].split("/")
    if len(parts) != 3 or parts[1] != folder:
        return None
    return parts[0], parts[2][: -len(ITEM_SUFFIX)]


def assessment_of(path: str, assessments_dir: str) -> str | None:
    """The slug of ``<assessments_dir>/<slug>/assessment.yaml``, else None."""
    prefix = f"{assessments_dir}/"
    suffix = f"/{ASSESSMENT_FILE}"
    if not path.startswith(prefix) or not path.endswith(suffix):
        return None
    folder = path[len(prefix) : -len(suffix)]
    return folder if folder and "/" not in folder else None


def opinions_prefix(assessments_dir: str, slug: str) -> str:
    """``<assessments_dir>/<slug>/opinions/``: what every opinion path of ``slug`` starts with."""
    return f"{assessments_dir}/{slug}/{OPINIONS_DIR}/"


def opinion_path(assessments_dir: str, slug: str, opinion_id: str) -> str:
    """``<assessments_dir>/<slug>/opinions/<opinion_id>.yaml``."""
    return f"{opinions_prefix(assessments_dir, slug)}{opinion_id}{ITEM_SUFFIX}"


def split_opinion_path(path: str, assessments_dir: str) -> tuple[str, str] | None:
    """(slug, opinion id) of ``<assessments_dir>/<slug>/opinions/<id>.yaml``, else None."""
    return _split_record_path(path, assessments_dir, OPINIONS_DIR)


def resolves_value(slug: str, opinion_id: str) -> str:
    """The value of a ``Resolves:`` trailer: ``<slug>/<opinion id>``."""
    return f"{slug}/{opinion_id}"


def split_resolves(value: str) -> tuple[str, str] | None:
    """(slug, opinion id) of a ``Resolves:`` value, else None when it is not
    ``<slug>/<id>`` with a slug that ``NAME_RE`` reads and an id that ``OPINION_ID_RE`` does."""
    slug, sep, opinion_id = value.strip().partition("/")
    if not sep or not NAME_RE.match(slug) or not OPINION_ID_RE.match(opinion_id):
        return None
    return slug, opinion_id
