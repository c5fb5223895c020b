"""The repository as git sees it: ``Repository`` opens a work tree, runs git commands (one
at a time, or started in the background) and reads the history, tags, trees, blobs, the work
tree's status, diffs and messages in as few git processes as it can.

It returns typed records and paths and bytes; it never parses what an item is. Every git
process starts in ``Repository._execute``, which counts it (``piakit.history.invocations``).
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from piakit import history
from piakit.errors import GitError
from piakit.history._parsing import (
    LOG_FORMAT,
    MESSAGE_FORMAT,
    parse_raw_z,
    read_folder_listings,
    read_log,
    read_ls_tree,
    read_messages,
    read_status,
)
from piakit.history._process import DAMAGED_HINT, ENV, Pending, checked_output, not_installed
from piakit.history._writer import HistoryWriter

if TYPE_CHECKING:
    from piakit.model import Commit, FileChange

_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

T = TypeVar("T")


@dataclass
class Repository:
    """A git work tree opened with GitPython. ``root`` is its top-level folder."""

    root: Path
    _repo: Any = field(repr=False)
    #: Tags (name → what they point at) that end at a tree or a blob, from the last ``tags``.
    non_commit_tags: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    # --- opening ----------------------------------------------------------------------------

    @classmethod
    def discover(cls, start: Path | str = ".") -> Repository:
        """The repository ``start`` is in (``start`` itself or a parent folder)."""
        start = Path(start)
        if not start.exists():
            raise GitError(f"{start}: no such folder")
        git = history.gitpython()
        try:
            repo = git.Repo(start, search_parent_directories=True)
        except git.NoSuchPathError:
            raise GitError(f"{start}: no such folder") from None
        except git.InvalidGitRepositoryError:
            raise GitError(
                f"{start.resolve()} is not inside a git repository",
                hint="run piakit inside the assessments repository (git clone it first), "
                "or pass -C PATH; to start a new one: git init",
            ) from None
        if repo.bare or repo.working_tree_dir is None:
            raise GitError(
                f"{repo.git_dir} is a bare repository: piakit needs a work tree",
                hint="clone it first: git clone <repository> <folder>",
            )
        return cls(Path(repo.working_tree_dir), repo)

    @property
    def git_dir(self) -> Path:
        return Path(self._repo.git_dir)

    def git(
        self,
        *args: str,
        input: bytes | None = None,
        check: bool = True,
        env: dict[str, str] | None = None,
    ) -> bytes:
        """Run one git command through GitPython's command wrapper; its output as bytes.

        A failure becomes a ``GitError`` with git's own message and, where we know one, a
        hint (a damaged object store: git fsck). ``check=False`` returns the output anyway."""
        with tempfile.TemporaryFile() if input is not None else nullcontext() as stdin:
            if stdin is not None and input is not None:
                stdin.write(input)
                stdin.seek(0)
            status, out, err = self._execute(
                args,
                env,
                istream=stdin,
                with_extended_output=True,
                with_exceptions=False,
                stdout_as_string=False,
                strip_newline_in_stdout=False,
            )
        return checked_output(args, status, bytes(out), err, check=check)

    def start(self, *args: str, parse: Callable[[bytes], T]) -> Pending[T]:
        """Start one git command and go on: ``result()`` waits for it and returns
        ``parse(output)``, a failure raised there as ``git`` raises it. For a read this
        process can overlap with its own work (loading the code that will use the answer)."""
        process = self._execute(args, None, as_process=True)
        return Pending(args, process, parse)

    def _execute(self, args: Sequence[str], env: dict[str, str] | None, **options: Any) -> Any:
        history.invocations += 1
        git = history.gitpython()
        command = [git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git", "-c", "core.quotePath=false"]
        try:
            return self._repo.git.execute([*command, *args], env={**ENV, **(env or {})}, **options)
        except git.GitCommandNotFound:
            raise not_installed() from None

    def git_process(self, *args: str) -> Any:
        """Start one git command with pipes to talk to it (GitPython's process handle; the
        process is killed when the handle is collected). For a conversation such as
        ``update-ref --stdin`` with ``start``/``prepare``/``commit``."""
        return self._execute(args, None, as_process=True, istream=subprocess.PIPE)

    def head(self) -> str | None:
        """The commit HEAD points at, or None in a repository with no commit yet."""
        out = self.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
        sha = out.decode().strip()
        return sha or None

    def require_history(self) -> str:
        """HEAD's commit; refuses a shallow clone or an empty history with what to do."""
        answer = self.git(
            "rev-parse",
            "--is-shallow-repository",
            "--verify",
            "--quiet",
            "HEAD^{commit}",
            check=False,
        ).split()
        if answer[:1] == [b"true"]:
            raise GitError(
                "this is a shallow clone: piakit needs the whole history to know what changed",
                hint="fetch the whole history: git fetch --unshallow "
                "(in GitHub Actions: actions/checkout with fetch-depth: 0)",
            )
        head = answer[1].decode() if len(answer) > 1 else None
        if head is None:
            branch = self.git("symbolic-ref", "-q", "--short", "HEAD", check=False)
            others = self.git(
                "for-each-ref", "--count=3", "--format=%(refname:short)", "refs/heads"
            )
            if others.strip():
                raise GitError(
                    f"the branch {branch.decode().strip()!r} checked out in {self.root} has no "
                    "commits yet (an orphan branch)",
                    hint="switch to a branch that holds the assessments, e.g. git switch "
                    f"{others.decode().split()[0]}",
                )
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
        """``start_log`` waited for."""
        return self.start_log(revs, raw=raw, exclude=exclude, paths=paths).result()

    def start_log(
        self,
        revs: Sequence[str],
        *,
        raw: bool = True,
        exclude: Sequence[str] = (),
        paths: Sequence[str] = (),
    ) -> Pending[list[Commit]]:
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
        args = ["log", "--topo-order", "--reverse", f"--format={LOG_FORMAT}"]
        if raw:
            args += ["--raw", "--no-abbrev", "--find-renames", "--diff-merges=combined"]
        else:
            args.append("--no-renames")
        if paths:
            args += ["--full-history", "--sparse"]
        args += list(revs) + [f"^{rev}" for rev in exclude] + ["--", *paths]
        return self.start(*args, parse=read_log)

    def tags(self, prefix: str = "") -> dict[str, str]:
        """Tag name (without ``refs/tags/``) → the commit it points at, annotated tags peeled
        to the commit however deeply they nest (a tag of a tag). Tags that end at a tree or a
        blob are not listed: ``non_commit_tags`` names them after this call."""
        return self.start_tags(prefix).result()

    def start_tags(self, prefix: str = "") -> Pending[dict[str, str]]:
        """``tags``, started: git lists them while this process goes on."""
        return self.start(
            "for-each-ref",
            "--format=%(refname:strip=2)%00%(objectname)%00%(objecttype)"
            "%00%(*objectname)%00%(*objecttype)",
            f"refs/tags/{prefix}",
            parse=self._read_tags,
        )

    def _read_tags(self, out: bytes) -> dict[str, str]:
        tags: dict[str, str] = {}
        nested: list[str] = []
        self.non_commit_tags = {}
        for line in out.decode().splitlines():
            name, obj, kind, peeled, peeled_kind = line.split("\0")
            if kind == "commit":
                tags[name] = obj
            elif peeled_kind == "commit":
                tags[name] = peeled
            elif peeled_kind == "tag":
                nested.append(name)
            else:
                self.non_commit_tags[name] = peeled_kind or kind
        if nested:  # rare: one more process, only when a tag names another tag
            request = "".join(f"refs/tags/{name}^{{commit}}\n" for name in nested)
            answers = self.git("cat-file", "--batch-check", input=request.encode())
            for name, answer in zip(nested, answers.decode().splitlines(), strict=True):
                sha, _, kind = answer.partition(" ")
                if kind.startswith("commit"):
                    tags[name] = sha
                else:
                    self.non_commit_tags[name] = "tree or blob"
        return tags

    def ls_tree(self, commit: str, folder: str) -> dict[str, str]:
        """Path → blob id of every file under ``folder`` at ``commit``."""
        out = self.git("ls-tree", "-r", "-z", "--full-tree", commit, "--", folder)
        return read_ls_tree(out)

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
        return read_folder_listings(out, [folder for _, folder in requests])

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
                raise GitError(f"blob {sha} is missing from the repository", hint=DAMAGED_HINT)
            size = int(header[2])
            contents[sha] = out[at : at + size]
            at += size + 1
        return contents

    def dirty_entries(self, paths: Sequence[str] = ()) -> list[str]:
        """The porcelain status lines (``XY path``) that make the work tree dirty (empty when
        clean). Untracked files count only inside ``paths``."""
        return [
            f"{status} {path}"
            for status, path in self.worktree_changes(())
            if status != "??"
            or any(path == p or path.startswith(p.rstrip("/") + "/") for p in paths)
        ]

    def worktree_changes(self, paths: Sequence[str]) -> list[tuple[str, str]]:
        """(status, path) of every file under ``paths`` whose work tree or index differs from
        HEAD, untracked files included (``git status --porcelain``); for a rename, the new
        path. One git process."""
        return self.start_worktree_changes(paths).result()

    def start_worktree_changes(self, paths: Sequence[str]) -> Pending[list[tuple[str, str]]]:
        """``worktree_changes``, started: git looks at the files while this process goes on."""
        return self.start(
            "status",
            "--porcelain",
            "-z",
            "--untracked-files=all",
            "--",
            *paths,
            parse=read_status,
        )

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
        return parse_raw_z(out.decode("utf-8", errors="replace"))

    def staged_changes(self, paths: Sequence[str] = ()) -> list[FileChange]:
        """The files the index changes against HEAD (against nothing in a new repository)."""
        base = self.head() or _EMPTY_TREE
        out = self.git(
            "diff", "--cached", "--raw", "-z", "--no-abbrev", "--find-renames", base, "--", *paths
        )
        return parse_raw_z(out.decode("utf-8", errors="replace"))

    def messages(self, shas: Sequence[str]) -> dict[str, str]:
        """The full messages (``%B``) of the given commits, in one git process."""
        if not shas:
            return {}
        out = self.git("log", "--no-walk=unsorted", f"--format={MESSAGE_FORMAT}", *shas, "--")
        return read_messages(out)

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

    def writer(self, reflog: str) -> HistoryWriter:
        """A writer of new commits and tags on the current branch (see ``HistoryWriter``)."""
        return HistoryWriter(self, reflog)
