"""The assessment files in the work tree: finding them, checking them, formatting them.

This is the IO around the pure ``checks`` and ``canonical``: it turns the paths a user (or
pre-commit) gives into item, assessment and opinion files, reads them (refusing a huge file before
reading it), runs the checks, including those that need every item of an assessment, and
writes formatted files atomically. It never runs git: ``piakit check`` and ``piakit fmt`` work
on a plain folder too.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from piakit import checks, documents
from piakit.canonical import format_document, same_but_line_ends, with_line_ends_of
from piakit.conventions import ASSESSMENT_FILE, ITEMS_DIR, OPINIONS_DIR
from piakit.errors import DocumentError, InputError, Location, PiakitError, Problem

FileKind = Literal["item", "assessment", "opinion", "other"]
#: The folders of an assessment that hold one kind of ``<id>.yaml`` file each.
_RECORD_DIRS: dict[str, FileKind] = {ITEMS_DIR: "item", OPINIONS_DIR: "opinion"}


@dataclass(frozen=True)
class SourceFile:
    """A file of an assessment folder. ``shown`` is how messages name it."""

    path: Path
    shown: str
    kind: FileKind
    folder: Path  # the assessment folder it belongs to

    @property
    def item_id(self) -> str:
        """The id of an item or opinion file: its name without the ending."""
        return self.path.name.rsplit(".", 1)[0]


@dataclass
class FileSelection:
    """What the user asked for: the files to report on, the assessment folders they belong
    to (for the checks across files), and the paths that are no assessment file."""

    files: list[SourceFile] = field(default_factory=list)
    folders: set[Path] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    #: True when whole folders were named: every file of them is reported on.
    whole: bool = False


def default_folder(start: Path, assessments_dir: str) -> Path:
    """``<assessments_dir>`` in ``start`` or the nearest folder above it that has one, as
    git finds its repository (without asking git: check and fmt work on any folder)."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / assessments_dir).is_dir():
            return candidate / assessments_dir
    raise InputError(
        f"there is no {assessments_dir}/ folder in {start} or above it",
        hint="run piakit in the assessments repository (or pass -C PATH), or name the files "
        "or folders to check",
    )


def select_from(here: Path, paths: Sequence[str], assessments_dir: str) -> FileSelection:
    """The files ``piakit check`` and ``fmt`` work on: ``paths`` as given from ``here`` (as
    ``git -C``), none meaning the assessments folder found from ``here``."""
    default = default_folder(here, assessments_dir) if not paths else here
    return select(paths, default, here)


def select(paths: Sequence[str], default: Path, cwd: Path | None = None) -> FileSelection:
    """The files named by ``paths`` (files or folders; none means ``default``)."""
    cwd = cwd or Path.cwd()
    selection = FileSelection()
    if not paths:
        selection.whole = True
        _walk(default, cwd, selection)
        return selection
    for raw in paths:
        path = Path(raw)
        absolute = Path(os.path.normpath(path if path.is_absolute() else cwd / path))
        if absolute.is_dir():
            selection.whole = True
            _walk(absolute, cwd, selection)
        elif absolute.is_file():
            source = classify(absolute, cwd)
            if source is None:
                selection.problems.append(
                    Problem(
                        Location(_shown(absolute, cwd), 1, 1),
                        "not a file of an assessment: piakit reads <slug>/assessment.yaml, "
                        "<slug>/items/<id>.yaml and <slug>/opinions/<id>.yaml",
                    )
                )
                continue
            selection.files.append(source)
            selection.folders.add(source.folder)
        else:
            selection.problems.append(Problem(Location(raw), "no such file or folder"))
    return selection


@functools.lru_cache(maxsize=1 << 16)
def classify(path: Path, cwd: Path) -> SourceFile | None:
    """Which assessment file ``path`` is, or None when it is none. Remembered: ``check``
    classifies every file twice (as selected, and as a sibling of the selected)."""
    shown = _shown(path, cwd)
    if path.name == ASSESSMENT_FILE:
        return SourceFile(path, shown, "assessment", path.parent)
    # The nearest folder named items/ (or opinions/) above the file, found in the path's
    # parts rather than by making every parent a Path (this runs for each of thousands of
    # files). Anything in it but an <id>.yaml directly inside is "other", reported by check.
    parts = path.parts
    for index in range(len(parts) - 2, -1, -1):
        record = _RECORD_DIRS.get(parts[index])
        if record is not None:
            is_record = index == len(parts) - 2 and path.suffix in (".yaml", ".yml")
            kind: FileKind = record if is_record else "other"
            return SourceFile(path, shown, kind, path.parents[len(parts) - 1 - index])
    return None


def _shown(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return str(path)


def _walk(folder: Path, cwd: Path, selection: FileSelection) -> None:
    if folder.name in _RECORD_DIRS or (folder / ASSESSMENT_FILE).is_file():
        selection.folders.add(folder.parent if folder.name in _RECORD_DIRS else folder)
    for directory, subdirs, names in os.walk(folder):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            source = classify(Path(directory) / name, cwd)
            if source is not None:
                selection.files.append(source)
                selection.folders.add(source.folder)


def _folder_files(folder: Path, cwd: Path) -> list[SourceFile]:
    files = []
    assessment = folder / ASSESSMENT_FILE
    if assessment.is_file():
        files.append(SourceFile(assessment, _shown(assessment, cwd), "assessment", folder))
    for record in _RECORD_DIRS:
        records = folder / record
        if not records.is_dir():
            continue
        for directory, subdirs, names in os.walk(records):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
            for name in sorted(names):
                if not name.startswith("."):
                    source = classify(Path(directory) / name, cwd)
                    if source is not None:
                        files.append(source)
    return files


def read(source: SourceFile) -> bytes | Problem:
    """The bytes of a file, or the problem that stops reading it (too large, unreadable)."""
    try:
        # One unbuffered open, its size, one read: half the cost of stat() then read_bytes(),
        # which counts for thousands of files. The open refuses a symbolic link (no extra
        # system call): git stores a link as the path it points to, not as the file.
        with open(source.path, "rb", buffering=0, opener=_open_no_link) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > documents.MAX_FILE_BYTES:
                return Problem(
                    Location(source.shown, 1, 1),
                    f"the file is {size:,} bytes, more than the {documents.MAX_FILE_BYTES:,} "
                    "a file of an assessment may have: is it the right file?",
                )
            return handle.readall()
    except OSError as exc:
        if exc.errno == errno.ELOOP or (not _NO_FOLLOW and source.path.is_symlink()):
            return Problem(Location(source.shown, 1, 1), symlink_message(source.kind))
        return Problem(Location(source.shown), f"cannot read the file: {exc.strerror}")


#: O_NOFOLLOW where the system has it (not on Windows, where links are rare and git makes
#: them plain files unless told otherwise).
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _open_no_link(path: str, flags: int) -> int:
    return os.open(path, flags | _NO_FOLLOW)


def symlink_message(kind: str) -> str:
    what = {"item": "an item file", "opinion": "an opinion file"}.get(
        kind, "a file of an assessment"
    )
    return (
        f"is a symbolic link; piakit reads {what} as git stores it, and git stores a link as "
        "the path it points to, not the file: put the file itself here (git rm the link, then "
        "copy the file in its place)"
    )


# --- check -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckFindings:
    """What ``inspect`` found: the problems (warnings among them), and the selected opinions
    that are ``reflected``, with their assessment folder, for the warning that needs the
    history (whether a commit resolves each): ``files`` never runs git."""

    problems: list[Problem]
    reflected: list[tuple[Path, checks.OpinionReport]] = field(default_factory=list)


def check(selection: FileSelection, cwd: Path | None = None) -> list[Problem]:
    """Every problem of the selected files, including those found across the files of their
    assessments (duplicate order, names in items/ and opinions/), in file and line order."""
    return inspect(selection, cwd).problems


def inspect(selection: FileSelection, cwd: Path | None = None) -> CheckFindings:
    """``check``, and the reflected opinions among the selected files."""
    cwd = cwd or Path.cwd()
    reported = {source.path for source in selection.files}
    problems = list(selection.problems)
    reflected: list[tuple[Path, checks.OpinionReport]] = []
    for folder in sorted(selection.folders):
        siblings = _folder_files(folder, cwd)
        shown_folder = _shown(folder, cwd)
        item_reports: list[checks.ItemReport] = []
        opinion_reports: list[checks.OpinionReport] = []
        assessment: checks.AssessmentReport | None = None
        has_opinions = any(source.kind == "opinion" for source in siblings)
        for source in siblings:
            data = read(source)
            mine = source.path in reported
            if isinstance(data, Problem):
                if mine:
                    problems.append(data)
                continue
            if source.kind == "assessment":
                if mine or has_opinions:
                    # Its opinion sources and milestones are what the opinions are checked
                    # against, whether or not it was named itself.
                    assessment = checks.check_assessment(data, source.shown, folder.name)
                if mine:
                    problems.extend(assessment.problems if assessment else ())
            elif source.kind == "item":
                report = checks.check_item(data, source.shown, source.item_id)
                item_reports.append(report)
                if mine:
                    problems.extend(report.problems)
            elif source.kind == "opinion" and mine:
                sources = assessment.opinion_sources if assessment else None
                opinion = checks.check_opinion(
                    data, source.shown, source.item_id, sources, dt.date.today()
                )
                opinion_reports.append(opinion)
                problems.extend(opinion.problems)
                if checks.is_reflected(opinion) and not opinion.problems:
                    reflected.append((folder, opinion))
        shown_mine = {source.shown for source in selection.files}
        across = checks.check_orders(item_reports)
        across += checks.check_heading_spellings(item_reports)
        if assessment is not None:
            across += checks.check_open_opinions(
                opinion_reports, assessment.milestone_kinds, dt.date.today()
            )
        for record, check_names in (
            (ITEMS_DIR, checks.check_item_names),
            (OPINIONS_DIR, checks.check_opinion_names),
        ):
            records = folder / record
            if not records.is_dir():
                continue
            names = [
                source.path.relative_to(records).as_posix()
                for source in siblings
                if source.path.is_relative_to(records)
            ]
            across += check_names(_shown(records, cwd), names)
            if not (folder / ASSESSMENT_FILE).is_file():
                across.append(
                    Problem(
                        Location(_shown(records, cwd)),
                        f"{shown_folder} has {record} but no {ASSESSMENT_FILE}: add one "
                        "(title, organization, form, milestones)",
                    )
                )
        problems.extend(p for p in across if p.location.path in shown_mine or selection.whole)
    return CheckFindings(sorted(_unique(problems), key=_problem_order), reflected)


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _problem_order(problem: Problem) -> tuple[str, int, int]:
    return (problem.location.path, problem.location.line or 0, problem.location.column or 0)


# --- fmt ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormatResult:
    changed: tuple[str, ...]  # files reformatted (or that would be, with check_only)
    unchanged: int
    problems: tuple[Problem, ...]  # files that could not be formatted


def format_files(selection: FileSelection, *, check_only: bool) -> FormatResult:
    """Put every selected item and assessment file into the canonical form; with
    ``check_only`` only say which would change. A file that differs only by CRLF line ends
    is canonical; a file that changes keeps CRLF line ends if it had them throughout."""
    changed: list[str] = []
    unchanged = 0
    problems = list(selection.problems)
    for source in selection.files:
        if source.kind == "other":
            continue
        data = read(source)
        if isinstance(data, Problem):
            problems.append(data)
            continue
        try:
            formatted = format_document(data, source.shown, source.kind)
        except DocumentError as exc:
            problems.append(Problem(exc.location, exc.detail))
            continue
        encoded = formatted.encode("utf-8")
        if encoded == data or same_but_line_ends(data, encoded):
            # CRLF from a Windows checkout is git's to convert (core.autocrlf): rewriting
            # the file for it would only make git status list it.
            unchanged += 1
            continue
        changed.append(source.shown)
        if not check_only:
            write_atomically(source.path, with_line_ends_of(data, encoded))
    return FormatResult(tuple(changed), unchanged, tuple(sorted(problems, key=_problem_order)))


def write_atomically(path: Path, data: bytes) -> None:
    """Replace a file's contents through a temporary file, keeping its permissions."""
    try:
        mode = path.stat().st_mode & 0o7777
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise PiakitError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise PiakitError(f"cannot write {path}: {exc.strerror}") from None
