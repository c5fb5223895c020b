"""The pure parsers of git's output: log records with their trailers and raw diffs, the
combined lines of a merge, ``git status -z``, ``git diff --raw -z``, tree listings (``ls-tree``
and tree objects from ``cat-file --batch``) and commit messages.

Bytes or text in, typed records out. This module never runs git: what it reads, the git
module's ``Repository`` asked for, with the formats spelled here (``LOG_FORMAT``).

The records (``piakit.model``) are imported when the first answer is read, not with this
module: ``piakit table`` starts its ``git log`` before they load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from piakit.conventions import EXTRA_TRAILERS, MILESTONE, REASON, REASON_CATEGORY

if TYPE_CHECKING:
    from piakit.model import Commit, FileChange, Reason

#: The separators of a log record (record, unit, group: ASCII's own), never in a message.
RS, US, GS = "\x1e", "\x1f", "\x1d"
_TRAILER_KEYS = ",".join(
    f"key={key}" for key in (REASON_CATEGORY, REASON, MILESTONE, *EXTRA_TRAILERS)
)
LOG_FORMAT = (
    RS
    + US.join(
        [
            "%H",
            "%P",
            "%an",
            "%ae",
            "%aI",
            "%cI",
            "%s",
            f"%(trailers:{_TRAILER_KEYS},unfold,separator=%x1d)",
        ]
    )
    + US
)
#: A commit's full message after its id, for ``read_messages``.
MESSAGE_FORMAT = f"{RS}%H{US}%B"


def _tree_files(body: bytes, prefix: str, id_size: int) -> dict[str, str]:
    """The files of a tree object (entries ``<mode> <name>NUL<id>``); subfolders (``40000``)
    and submodules (``160000``) are not files."""
    files: dict[str, str] = {}
    at = 0
    while at < len(body):
        space = body.index(b" ", at)
        nul = body.index(b"\0", space)
        mode = body[at:space]
        at = nul + 1 + id_size
        if not mode.startswith((b"4", b"04", b"160000")):
            files[prefix + body[space + 1 : nul].decode()] = body[nul + 1 : at].hex()
    return files


def read_ls_tree(out: bytes) -> dict[str, str]:
    """``git ls-tree -r -z`` output: path → blob id of every file (not submodules)."""
    files: dict[str, str] = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        _mode, kind, blob = meta.split(b" ")
        if kind == b"blob":
            files[path.decode()] = blob.decode()
    return files


def read_folder_listings(out: bytes, folders: Sequence[str]) -> list[dict[str, str]]:
    """``git cat-file --batch`` output for one ``<commit>:<folder>`` request per folder: for
    each, path → blob id of the files directly in it; a folder missing lists nothing."""
    listings: list[dict[str, str]] = []
    at = 0
    for folder in folders:
        name = folder.rstrip("/")
        end = out.index(b"\n", at)
        header = out[at:end]
        at = end + 1
        files: dict[str, str] = {}
        if not header.endswith((b" missing", b" ambiguous")):
            sha, kind, size = header.rsplit(b" ", 2)
            body = out[at : at + int(size)]
            at += int(size) + 1
            if kind == b"tree":
                files = _tree_files(body, f"{name}/", len(sha) // 2)
        listings.append(files)
    return listings


def read_log(out: bytes) -> list[Commit]:
    return list(_parse_log(out.decode("utf-8", errors="replace")))


def read_status(out: bytes) -> list[tuple[str, str]]:
    fields = out.decode("utf-8", errors="replace").split("\0")
    changes: list[tuple[str, str]] = []
    at = 0
    while at < len(fields):
        entry = fields[at]
        at += 1
        if not entry:
            continue
        status, path = entry[:2], entry[3:]
        if "R" in status or "C" in status:
            at += 1  # the rename's source follows
        changes.append((status, path))
    return changes


def read_messages(out: bytes) -> dict[str, str]:
    """``git log --format=MESSAGE_FORMAT`` output: commit id → its full message."""
    messages: dict[str, str] = {}
    for record in out.decode("utf-8", errors="replace").split(RS):
        if US in record:
            sha, _, message = record.partition(US)
            messages[sha.strip()] = message.rstrip("\n") + "\n"
    return messages


def _parse_log(text: str) -> Iterator[Commit]:
    from piakit.model import Commit, Reason

    # Thousands of records per request: the common cases (no trailers, no changed path under
    # the limited folder) cost no call.
    for record in text.split(RS):
        fields = record.split(US)
        if len(fields) < 8:
            continue
        sha, parents, an, ae, ad, cd, subject, trailers = fields[:8]
        raw = fields[8] if len(fields) > 8 else ""
        reasons, milestones, extra = (
            _trailers(trailers.split(GS), sha, Reason) if trailers else ((), (), ())
        )
        yield Commit(
            sha=sha,
            parents=tuple(parents.split()),
            author_name=an,
            author_email=ae,
            author_date=dt.datetime.fromisoformat(ad),
            committer_date=dt.datetime.fromisoformat(cd),
            subject=subject,
            reasons=reasons,
            milestone_trailers=milestones,
            trailers=extra,
            changes=tuple(_parse_raw(raw)) if ":" in raw else (),
        )


def parse_trailers(
    lines: Iterable[str], sha: str = ""
) -> tuple[tuple[Reason, ...], tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Group ``Key: value`` trailer lines (already parsed out by git) into reasons.

    A ``Reason`` belongs to the nearest ``Reason-Category`` above it; a category with no
    ``Reason`` of its own stands alone; a ``Reason`` before any category has none."""
    from piakit.model import Reason

    return _trailers(lines, sha, Reason)


def _trailers(
    lines: Iterable[str], sha: str, record: type[Reason]
) -> tuple[tuple[Reason, ...], tuple[str, ...], tuple[tuple[str, str], ...]]:
    reasons: list[Reason] = []
    milestones: list[str] = []
    extra: list[tuple[str, str]] = []
    category: str | None = None
    category_used = True
    for line in lines:
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == REASON_CATEGORY.lower():
            if not category_used:
                reasons.append(record(category, None, sha))
            category, category_used = value, False
        elif key == REASON.lower():
            reasons.append(record(category, value, sha))
            category_used = True
        elif key == MILESTONE.lower():
            milestones.append(value)
        else:
            extra.append((line.partition(":")[0].strip(), value))
    if not category_used:
        reasons.append(record(category, None, sha))
    return tuple(reasons), tuple(milestones), tuple(extra)


def _parse_raw(raw: str) -> Iterator[FileChange]:
    from piakit.model import FileChange

    for line in raw.splitlines():
        if line.startswith("::"):
            yield _parse_combined(line)
            continue
        if not line.startswith(":"):
            continue
        meta, _, paths = line.partition("\t")
        parts = meta.split()
        old_blob, new_blob, status = parts[2], parts[3], parts[4][0]
        names = paths.split("\t")
        zero = "0" * len(old_blob)
        yield FileChange(
            status=status,
            path=names[-1],
            old_blob=None if old_blob == zero else old_blob,
            new_blob=None if new_blob == zero else new_blob,
            old_path=names[0] if len(names) > 1 else None,
        )


def _parse_combined(line: str) -> FileChange:
    """A merge's combined raw line ``::<mode per parent> <mode> <blob per parent> <blob>
    <status per parent>\t<path>``: the path's blob in each parent and in the merge."""
    from piakit.model import FileChange

    meta, _, path = line.partition("\t")
    parts = meta.lstrip(":").split()
    count = len(parts[-1])  # one status letter per parent
    blobs = parts[count + 1 : 2 * count + 2]
    zero = "0" * len(blobs[-1])
    parents = tuple(None if blob == zero else blob for blob in blobs[:-1])
    new_blob = None if blobs[-1] == zero else blobs[-1]
    status = "D" if new_blob is None else "A" if parents[0] is None else "M"
    return FileChange(
        status=status,
        path=path,
        old_blob=parents[0],
        new_blob=new_blob,
        parent_blobs=parents,
    )


def parse_raw_z(out: str) -> list[FileChange]:
    """``git diff --raw -z`` output: ``:modes blobs status NUL path [NUL path]`` records."""
    from piakit.model import FileChange

    fields = out.split("\0")
    changes: list[FileChange] = []
    at = 0
    while at < len(fields) and fields[at].startswith(":"):
        parts = fields[at].split()
        old_blob, new_blob, status = parts[2], parts[3], parts[4][0]
        zero = "0" * len(old_blob)
        if status in "RC":
            old_path, path = fields[at + 1], fields[at + 2]
            at += 3
        else:
            old_path, path = None, fields[at + 1]
            at += 2
        changes.append(
            FileChange(
                status=status,
                path=path,
                old_blob=None if old_blob == zero else old_blob,
                new_blob=None if new_blob == zero else new_blob,
                old_path=old_path,
            )
        )
    return changes
