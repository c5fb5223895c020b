"""``piakit new SLUG --title …``: start an assessment in the repository.

Writes ``<assessments>/<slug>/assessment.yaml`` in the canonical form, with the first
milestone (``current``, the published document) declared and not yet bound, and an empty
``items/`` (kept by git through an ``items/.gitkeep``, which ``check`` passes over). The
assessments folder is found as ``import-table`` finds it. Never overwrites, makes no commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from piakit import documents
from piakit.conventions import ASSESSMENT_FILE, ITEMS_DIR, NEW_SLUG_RE
from piakit.errors import InputError, PiakitError
from piakit.history import Repository
from piakit.model import Assessment, Milestone
from piakit.opening import locate_assessments_dir
from piakit.usecases._input import one_line

#: The first milestone of a new assessment: the document as published, before any revision.
FIRST_MILESTONE = Milestone("current", "現在の評価書")
#: What keeps the empty ``items/`` folder in git (``check`` skips names starting with a dot).
KEEP_FILE = ".gitkeep"

#: Names Windows keeps for devices: no file or folder can have them (editors use Windows).
_WINDOWS_RESERVED = frozenset(
    [
        "con",
        "prn",
        "aux",
        "nul",
        *(f"com{n}" for n in range(1, 10)),
        *(f"lpt{n}" for n in range(1, 10)),
    ]
)

_EXAMPLE = 'e.g. --title "国民年金に関する事務 全項目評価書" --organization 千葉市'


@dataclass(frozen=True)
class NewAssessment:
    """The assessment folder (relative to the top of the work tree) and the files written."""

    slug: str
    folder: str
    written: tuple[str, ...]
    milestone: str


def new_assessment(
    start: Path | str,
    slug: str,
    title: str,
    *,
    form: str | None = None,
    organization: str | None = None,
    assessments_dir: str,
) -> NewAssessment:
    """Start the assessment ``slug`` in the repository ``start`` is in."""
    if not NEW_SLUG_RE.match(slug):
        raise InputError(
            f"assessment name {slug!r} is not a valid slug: it names the folder "
            f"{assessments_dir}/<slug>/, the site's URLs and the milestone tags",
            hint="use lower-case ASCII letters, digits and hyphens, starting and ending with a "
            "letter or a digit, e.g. kokumin-nenkin",
        )
    if slug in _WINDOWS_RESERVED:
        raise InputError(
            f"assessment name {slug!r} is a device name on Windows: a folder of that name "
            "cannot be checked out there",
            hint="choose another name, e.g. kokumin-nenkin",
        )
    title = one_line("--title", title, hint=_EXAMPLE)
    repo = Repository.discover(start)
    assessments_dir = locate_assessments_dir(repo, start, assessments_dir)
    folder = f"{assessments_dir}/{slug}"
    path = repo.root / folder
    if path.exists() or path.is_symlink():
        raise InputError(
            f"{folder} already exists: piakit new never overwrites an assessment",
            hint="choose another name, or edit the files of the one that exists",
        )
    tags = repo.tags(f"{slug}/")
    if tags:
        raise InputError(
            f"tags of an assessment named {slug} exist already: {', '.join(sorted(tags))}",
            hint="choose another name: the tags would bind this assessment's milestones",
        )
    assessment = Assessment(
        slug=slug,
        title=title,
        organization=(
            None
            if organization is None
            else one_line("--organization", organization, hint=_EXAMPLE)
        ),
        form=None if form is None else one_line("--form", form, hint=_EXAMPLE),
        milestones=(FIRST_MILESTONE,),
    )
    files = {
        ASSESSMENT_FILE: documents.dump_assessment(assessment).encode("utf-8"),
        f"{ITEMS_DIR}/{KEEP_FILE}": b"",
    }
    try:
        (path / ITEMS_DIR).mkdir(parents=True)
        for name, data in files.items():
            with open(path / name, "xb") as handle:
                handle.write(data)
    except OSError as exc:
        raise PiakitError(f"cannot write {folder}: {exc.strerror}") from None
    return NewAssessment(
        slug, folder, tuple(f"{folder}/{name}" for name in files), FIRST_MILESTONE.id
    )
