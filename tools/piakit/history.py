"""The only module that talks to git.

It reads a repository's history in one pass and returns typed records (``Commit``,
``FileChange``), reads trees and blobs in batch, and performs the few writes the importer and
``milestone add`` need. Trailers are parsed by git itself (``%(trailers:…)``), never by our own
regular expressions. Every git failure becomes a ``GitError`` with a hint. Nothing here knows
what an item or a table is beyond paths and bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from piakit.errors import GitError
from piakit.model import Commit, FileChange, Reason

#: Trailer keys piakit reads. ASCII only: git does not parse non-ASCII keys.
REASON_CATEGORY = "Reason-Category"
REASON = "Reason"
MILESTONE = "Milestone"
SUBMISSION = "Submission"
EXTRA_TRAILERS = (SUBMISSION, "Submission-Note")

_RS, _US, _GS = "\x1e", "\x1f", "\x1d"
_TRAILER_KEYS = ",".join(
    f"key={key}" for key in (REASON_CATEGORY, REASON, MILESTONE, *EXTRA_TRAILERS)
)
_LOG_FORMAT = (
    _RS
    + _US.join(
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
    + _US
)

_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

#: Number of git processes started, for the test that proves the count does not grow with
#: the number of items or pages.
invocations = 0


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("LC_ALL", "C.UTF-8")
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


@dataclass
class Repository:
    """A git work tree. ``root`` is its top-level folder."""

    root: Path
    _head: str | None = field(default=None, init=False, repr=False)

    # --- opening ----------------------------------------------------------------------------

    @classmethod
    def discover(cls, start: Path | str = ".") -> Repository:
        start = Path(start)
        if not start.exists():
            raise GitError(f"{start}: no such folder")
        try:
            out = _run(["git", "rev-parse", "--show-toplevel"], cwd=start)
        except GitError:
            raise GitError(
                f"{start.resolve()} is not inside a git repository",
                hint="run piakit inside the assessments repository (git clone it first), "
                "or pass -C PATH; to start a new one: git init",
            ) from None
        return cls(Path(out.decode().strip()))

    def git(self, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
        return _run(
            ["git", "-c", "core.quotePath=false", *args], cwd=self.root, input=input, check=check
        )

    def head(self) -> str | None:
        """The commit HEAD points at, or None in a repository with no commit yet."""
        out = self.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
        sha = out.decode().strip()
        return sha or None

    def require_history(self) -> str:
        """HEAD's commit; refuses a shallow clone or an empty history with what to do."""
        if self.git("rev-parse", "--is-shallow-repository").decode().strip() == "true":
            raise GitError(
                "this is a shallow clone: piakit needs the whole history to know what changed",
                hint="fetch the whole history: git fetch --unshallow "
                "(in GitHub Actions: actions/checkout with fetch-depth: 0)",
            )
        head = self.head()
        if head is None:
            raise GitError(
                f"{self.root} has no commits yet",
                hint="import a table with piakit import-table, or commit the assessment first",
            )
        return head

    def resolve(self, rev: str) -> str | None:
        out = self.git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        return out.decode().strip() or None

    # --- reading ----------------------------------------------------------------------------

    def log(
        self,
        revs: Sequence[str],
        *,
        raw: bool = True,
        exclude: Sequence[str] = (),
        paths: Sequence[str] = (),
    ) -> list[Commit]:
        """Every commit reachable from ``revs`` (and not from ``exclude``), parents before
        children, with trailers and (``raw``) the paths each changed against its first parent.
        One git process, whatever the length of the history.

        ``paths`` limits the changed paths listed to those under them, not the commits: every
        commit is still there with its parents and trailers (``--full-history --sparse``), and
        git compares only the trees under ``paths``, so that reading one assessment's changes
        costs what that assessment changed, not what the whole repository did.

        Renames are detected (``R`` with ``old_path``; git sees a rename only when both paths
        are under ``paths``). A merge lists, as a combined diff, the paths whose contents
        differ from every parent (``parent_blobs`` set): what the merge itself wrote or what
        git merged from both sides; ``Workspace`` tells the two apart."""
        args = ["log", "--topo-order", "--reverse", f"--format={_LOG_FORMAT}"]
        if raw:
            args += ["--raw", "--no-abbrev", "--find-renames", "--diff-merges=combined"]
        else:
            args.append("--no-renames")
        if paths:
            args += ["--full-history", "--sparse"]
        args += list(revs) + [f"^{rev}" for rev in exclude] + ["--", *paths]
        return list(_parse_log(self.git(*args).decode("utf-8", errors="replace")))

    def tags(self, prefix: str = "") -> dict[str, str]:
        """Tag name (without ``refs/tags/``) → the commit it points at (annotated tags peeled)."""
        out = self.git(
            "for-each-ref",
            "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)",
            f"refs/tags/{prefix}",
        )
        tags: dict[str, str] = {}
        for line in out.decode().splitlines():
            name, obj, peeled = line.split("\0")
            tags[name] = peeled or obj
        return tags

    def ls_tree(self, commit: str, folder: str) -> dict[str, str]:
        """Path → blob id of every file under ``folder`` at ``commit``."""
        out = self.git("ls-tree", "-r", "-z", "--full-tree", commit, "--", folder)
        files: dict[str, str] = {}
        for entry in out.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            _mode, kind, blob = meta.split(b" ")
            if kind == b"blob":
                files[path.decode()] = blob.decode()
        return files

    def folder_files(self, commits: Sequence[str], folder: str) -> list[dict[str, str]]:
        """For each commit, path → blob id of the files directly in ``folder`` (not in its
        subfolders), all read through one ``git cat-file --batch``: listing the items at
        many milestones costs one git process, not one per milestone."""
        return self.folders_files([(commit, folder) for commit in commits])

    def folders_files(self, requests: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
        """``folder_files`` for (commit, folder) pairs, any folder at any commit, in one
        ``git cat-file --batch``; a folder missing at its commit lists nothing."""
        if not requests:
            return []
        request = "".join(f"{commit}:{folder.rstrip('/')}\n" for commit, folder in requests)
        out = self.git("cat-file", "--batch", input=request.encode())
        listings: list[dict[str, str]] = []
        at = 0
        for _, folder in requests:
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

    def read_blobs(self, blobs: Iterable[str]) -> dict[str, bytes]:
        """The contents of many blobs through one ``git cat-file --batch``."""
        wanted = list(dict.fromkeys(blobs))
        if not wanted:
            return {}
        out = self.git("cat-file", "--batch", input=("\n".join(wanted) + "\n").encode())
        contents: dict[str, bytes] = {}
        at = 0
        for sha in wanted:
            end = out.index(b"\n", at)
            header = out[at:end].split(b" ")
            at = end + 1
            if len(header) < 3 or header[1] == b"missing":
                raise GitError(f"blob {sha} is missing from the repository")
            size = int(header[2])
            contents[sha] = out[at : at + size]
            at += size + 1
        return contents

    def show_file(self, commit: str, path: str) -> bytes | None:
        out = self.git("cat-file", "blob", f"{commit}:{path}", check=False)
        return out if out else None

    def is_clean(self, paths: Sequence[str] = ()) -> list[str]:
        """The porcelain status lines that make the work tree dirty (empty when clean).
        Untracked files count only inside ``paths``."""
        out = self.git("status", "--porcelain", "-z", "--untracked-files=all").decode()
        dirty = []
        for entry in out.split("\0"):
            if not entry:
                continue
            status, path = entry[:2], entry[3:]
            if status == "??" and not any(
                path == p or path.startswith(p.rstrip("/") + "/") for p in paths
            ):
                continue
            dirty.append(entry)
        return dirty

    def worktree_changes(self, paths: Sequence[str]) -> list[tuple[str, str]]:
        """(status, path) of every file under ``paths`` whose work tree or index differs from
        HEAD, untracked files included (``git status --porcelain``); for a rename, the new
        path. One git process."""
        out = self.git("status", "--porcelain", "-z", "--untracked-files=all", "--", *paths).decode(
            "utf-8", errors="replace"
        )
        fields = out.split("\0")
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

    # --- review (diff, commits check, the commit-msg hook) -----------------------------------

    def rev_list(self, spec: str) -> list[str]:
        """The commits a revision range names (``A..B``, ``A...B``, or one revision and all
        its ancestors), newest first. An unknown revision is a GitError saying what to do."""
        if not spec or spec.startswith("-"):
            raise GitError(f"{spec!r} is not a revision range", hint="write e.g. origin/main..HEAD")
        try:
            out = self.git("rev-list", spec, "--")
        except GitError:
            raise GitError(
                f"unknown revision or range {spec!r}",
                hint="name commits, branches or tags that exist here, e.g. origin/main..HEAD; "
                "a branch of the remote may need fetching first: git fetch origin",
            ) from None
        return out.decode().split()

    def merge_base(self, first: str, second: str) -> str | None:
        """The best common ancestor of two commits, or None when they share no history."""
        out = self.git("merge-base", first, second, check=False)
        return out.decode().strip() or None

    def diff_raw(
        self, old: str, new: str, paths: Sequence[str], *, renames: bool = True
    ) -> list[FileChange]:
        """The files under ``paths`` that differ between two commits, renames detected
        (``R`` with ``old_path``) unless ``renames`` is False. One git process."""
        args = ["diff", "--raw", "-z", "--no-abbrev", "--no-ext-diff"]
        args.append("-M" if renames else "--no-renames")
        out = self.git(*args, old, new, "--", *paths)
        return _parse_raw_z(out.decode("utf-8", errors="replace"))

    def staged_changes(self, paths: Sequence[str] = ()) -> list[FileChange]:
        """The files the index changes against HEAD (against nothing in a new repository)."""
        base = self.head() or _EMPTY_TREE
        out = self.git(
            "diff", "--cached", "--raw", "-z", "--no-abbrev", "--find-renames", base, "--", *paths
        )
        return _parse_raw_z(out.decode("utf-8", errors="replace"))

    def messages(self, shas: Sequence[str]) -> dict[str, str]:
        """The full messages (``%B``) of the given commits, in one git process."""
        if not shas:
            return {}
        out = self.git("log", "--no-walk=unsorted", f"--format={_RS}%H{_US}%B", *shas, "--")
        messages: dict[str, str] = {}
        for record in out.decode("utf-8", errors="replace").split(_RS):
            if _US in record:
                sha, _, message = record.partition(_US)
                messages[sha.strip()] = message.rstrip("\n") + "\n"
        return messages

    def message_trailers(self, message: str) -> list[str]:
        """The ``Key: value`` trailer lines git reads from a commit message (not yet made),
        as ``git interpret-trailers --parse`` sees them; for the commit-msg hook."""
        out = self.git(
            "interpret-trailers", "--parse", "--no-divider", input=message.encode("utf-8")
        )
        return [line for line in out.decode("utf-8", errors="replace").splitlines() if line.strip()]

    def is_merging(self) -> bool:
        """True while a merge is being concluded (``MERGE_HEAD`` exists)."""
        out = self.git("rev-parse", "--verify", "--quiet", "MERGE_HEAD", check=False)
        return bool(out.strip())

    def comment_char(self) -> str:
        """The character that starts a comment line in a commit message being edited."""
        out = self.git("config", "--get", "core.commentChar", check=False).decode().strip()
        return out if len(out) == 1 else "#"

    def is_valid_tag_name(self, name: str) -> bool:
        """Whether git accepts ``name`` as a tag name (``git check-ref-format``)."""
        try:
            self.git("check-ref-format", f"refs/tags/{name}")
        except GitError:
            return False
        return True

    # --- writing (importer, milestone add) --------------------------------------------------

    def add(self, paths: Sequence[str]) -> None:
        self.git("add", "-A", "--", *paths)

    def commit(self, message: str, *, date: dt.datetime | None, allow_empty: bool = False) -> str:
        env = {}
        if date is not None:
            stamp = date.isoformat()
            env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        args = ["commit", "--quiet", "--no-verify", "--file", "-"]
        if allow_empty:
            args.append("--allow-empty")
        _run(["git", *args], cwd=self.root, input=message.encode("utf-8"), extra_env=env)
        self._head = None
        head = self.head()
        assert head is not None
        return head

    def tag(self, name: str, commit: str, message: str, *, date: dt.datetime | None) -> None:
        env = {"GIT_COMMITTER_DATE": date.isoformat()} if date is not None else {}
        _run(
            ["git", "tag", "--annotate", "--file", "-", name, commit],
            cwd=self.root,
            input=message.encode("utf-8"),
            extra_env=env,
        )

    def delete_tag(self, name: str) -> None:
        self.git("tag", "--delete", name, check=False)

    def reset_to(self, commit: str | None, paths: Sequence[str]) -> None:
        """Put the repository back as it was before a failed import."""
        if commit is None:
            self.git("update-ref", "-d", "HEAD", check=False)
            self.git("rm", "-r", "-q", "--cached", "--ignore-unmatch", "--", *paths, check=False)
        else:
            self.git("reset", "--hard", "--quiet", commit, check=False)
        self.git("clean", "-f", "-d", "-q", "--", *paths, check=False)


def _run(
    args: list[str],
    *,
    cwd: Path,
    input: bytes | None = None,
    check: bool = True,
    extra_env: dict[str, str] | None = None,
) -> bytes:
    global invocations
    invocations += 1
    env = _git_env()
    if extra_env:
        env.update(extra_env)
    try:
        proc = subprocess.run(args, cwd=cwd, input=input, capture_output=True, env=env, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed", hint="install git (apt-get install git)") from None
    if proc.returncode != 0 and check:
        detail = proc.stderr.decode("utf-8", errors="replace").strip()
        raise GitError(f"git {' '.join(args[1:4])} failed: {detail}")
    return proc.stdout


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


def _parse_log(text: str) -> Iterator[Commit]:
    for record in text.split(_RS):
        if not record.strip():
            continue
        fields = record.split(_US)
        sha, parents, an, ae, ad, cd, subject, trailers = fields[:8]
        raw = fields[8] if len(fields) > 8 else ""
        reasons, milestones, extra = parse_trailers(trailers.split(_GS) if trailers else [], sha)
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
            changes=tuple(_parse_raw(raw)),
        )


def parse_trailers(
    lines: Iterable[str], sha: str = ""
) -> tuple[tuple[Reason, ...], tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Group ``Key: value`` trailer lines (already parsed out by git) into reasons.

    A ``Reason`` belongs to the nearest ``Reason-Category`` above it; a category with no
    ``Reason`` of its own stands alone; a ``Reason`` before any category has none."""
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
                reasons.append(Reason(category, None, sha))
            category, category_used = value, False
        elif key == REASON.lower():
            reasons.append(Reason(category, value, sha))
            category_used = True
        elif key == MILESTONE.lower():
            milestones.append(value)
        else:
            extra.append((line.partition(":")[0].strip(), value))
    if not category_used:
        reasons.append(Reason(category, None, sha))
    return tuple(reasons), tuple(milestones), tuple(extra)


def _parse_raw(raw: str) -> Iterator[FileChange]:
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


def _parse_raw_z(out: str) -> list[FileChange]:
    """``git diff --raw -z`` output: ``:modes blobs status NUL path [NUL path]`` records."""
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
