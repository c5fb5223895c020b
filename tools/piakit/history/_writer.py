"""The writes: new commits and tags that the repository shows all of or none of.

``HistoryWriter`` stores objects where nothing points at them, then publishes them in one ref
transaction with the work tree and index swapped in beside it, signals held. It never writes
the user's index or work tree before ``publish``, never over a folder that exists, and never
moves a ref whose old value changed.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from piakit.errors import GitError

if TYPE_CHECKING:
    from piakit.history._repository import Repository


@dataclass(frozen=True)
class _RefUpdate:
    ref: str
    new: str
    old: str | None  # None: the ref must not exist yet
    no_deref: bool = False

    def command(self) -> str:
        if self.old is None:
            return f"create {self.ref} {self.new}\n"
        prefix = "option no-deref\n" if self.no_deref else ""
        return f"{prefix}update {self.ref} {self.new} {self.old}\n"


class HistoryWriter:
    """Writes new commits and tags so that the repository shows all of them or none.

    Objects first: every blob, tree, commit and tag object goes into the object database,
    where nothing points at it yet; a temporary index builds the trees, never the user's. A
    run killed here leaves only unreachable objects (``git gc`` removes them). Then
    ``publish`` is the one commit point: one ref transaction (``git update-ref --stdin``,
    every old value checked) moves the branch and creates every tag, and the index and the
    work tree, prepared beside them beforehand, are swapped in by renames while git holds
    the prepared transaction, which is committed last. SIGINT, SIGTERM and SIGHUP are held
    back across that step. A SIGKILL before "commit" reaches git leaves the refs as they
    were; only in the microseconds between the last rename and that write would the work
    tree and index be new while the refs are not.
    """

    def __init__(self, repo: Repository, reflog: str) -> None:
        self.repo = repo
        self.reflog = reflog
        self.base = repo.head()
        self.tip = self.base
        self._branch = repo.git("symbolic-ref", "-q", "HEAD", check=False).decode().strip()
        self._index_path = Path(repo.git("rev-parse", "--git-path", "index").decode().strip())
        if not self._index_path.is_absolute():
            self._index_path = repo.root / self._index_path
        _remove_stale_scratch(repo.git_dir)
        self._scratch = Path(tempfile.mkdtemp(prefix=f"piakit-{os.getpid()}-", dir=repo.git_dir))
        self._env = {"GIT_INDEX_FILE": str(self._scratch / "build-index")}
        self._files: dict[str, bytes | None] = {}
        self._tags: list[_RefUpdate] = []
        self._cleanup = [self._scratch]
        self._index_ready = False

    def __enter__(self) -> HistoryWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the scratch folder (inside the git directory, never seen by git)."""
        for folder in self._cleanup:
            shutil.rmtree(folder, ignore_errors=True)

    def _blob(self, data: bytes) -> str:
        from gitdb.base import IStream

        stored = self.repo._repo.odb.store(IStream("blob", len(data), io.BytesIO(data)))
        return str(stored.hexsha.decode() if isinstance(stored.hexsha, bytes) else stored.hexsha)

    def commit(
        self, files: Mapping[str, bytes | None], message: str, *, date: dt.datetime | None
    ) -> str:
        """Write a commit on top of the previous one that sets ``files`` (path → contents;
        None removes the file). Nothing outside the object database changes."""
        null = "0" * 40
        entries = "".join(
            f"0 {null}\t{path}\n" if data is None else f"100644 {self._blob(data)}\t{path}\n"
            for path, data in files.items()
        )
        self._files.update(files)
        if not self._index_ready:  # the temporary index starts as the base commit's tree
            if self.base is not None:
                self.repo.git("read-tree", self.base, env=self._env)
            self._index_ready = True
        if entries:
            self.repo.git("update-index", "--index-info", input=entries.encode(), env=self._env)
        tree = self.repo.git("write-tree", env=self._env).decode().strip()
        args = ["commit-tree", tree, *(["-p", self.tip] if self.tip else []), "-F", "-"]
        stamp = date.isoformat() if date else None
        env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp} if stamp else None
        sha = self.repo.git(*args, input=message.encode("utf-8"), env=env)
        self.tip = sha.decode().strip()
        return self.tip

    def tag(self, name: str, commit: str, message: str, *, date: dt.datetime | None) -> None:
        """Write an annotated tag object for ``commit``; its ref is made by ``publish``."""
        env = {"GIT_COMMITTER_DATE": date.isoformat()} if date else None
        tagger = self.repo.git("var", "GIT_COMMITTER_IDENT", env=env).decode().strip()
        body = f"object {commit}\ntype commit\ntag {name}\ntagger {tagger}\n\n{message}"
        obj = self.repo.git("mktag", input=body.encode("utf-8")).decode().strip()
        self._tags.append(_RefUpdate(f"refs/tags/{name}", obj, None))

    def publish(
        self, *, new_folder: str | None = None, replace: Mapping[str, bytes] | None = None
    ) -> None:
        """The commit point: move the branch and create the tags in one ref transaction,
        then swap in the work tree's ``new_folder`` (a folder that did not exist, holding
        the files the commits wrote there) with an index that has it, and the files of
        ``replace`` (path → new contents; files not in any commit, e.g. a declaration)."""
        swaps: list[tuple[Path, Path]] = []
        if new_folder is not None:
            swaps = self._prepare_folder(new_folder.strip("/"))
        for path, data in (replace or {}).items():
            swaps.append((self._stage_file(self.repo.root / path, data), self.repo.root / path))
        updates = list(self._tags)
        if self.tip != self.base and self.tip is not None:
            if self.base is None:
                updates.insert(0, _RefUpdate(self._branch or "HEAD", self.tip, None))
            else:
                updates.insert(
                    0, _RefUpdate(self._branch or "HEAD", self.tip, self.base, not self._branch)
                )
        request = "".join(update.command() for update in updates).encode()
        with _signals_held():
            # Git locks and checks every ref first ("prepare"); then the work tree and the
            # index are swapped in, and "commit" goes to git right after the last rename.
            # Once written to its pipe, git commits even if piakit dies now; if piakit dies
            # before, git reads the end of its input and drops the transaction.
            transaction = self._prepare_transaction(request) if request else None
            done: list[tuple[Path, Path, Path | None]] = []
            try:
                for source, target in swaps:
                    backup = None
                    if target.is_file():
                        backup = self._scratch / f"backup-{len(done)}"
                        _keep_copy(target, backup)
                    os.replace(source, target)
                    done.append((source, target, backup))
                if transaction is not None:
                    self._commit_transaction(transaction)
            except (OSError, GitError) as exc:
                _undo_swaps(done)
                if transaction is not None and transaction.poll() is None:
                    transaction.kill()
                message = exc.message if isinstance(exc, GitError) else str(exc)
                raise GitError(
                    f"piakit could not finish writing: {message}",
                    hint="nothing was changed; run the command again",
                ) from None

    def _prepare_transaction(self, request: bytes) -> Any:
        """``git update-ref --stdin`` with every update given and prepared (each ref locked
        and its old value checked); only "commit" is left to say."""
        handle = self.repo.git_process("update-ref", "-m", self.reflog, "--stdin")
        process = handle.proc
        process.stdin.write(b"start\n" + request + b"prepare\n")
        process.stdin.flush()
        for expected in (b"start: ok", b"prepare: ok"):
            if process.stdout.readline().strip() != expected:
                process.stdin.close()
                detail = process.stderr.read().decode("utf-8", "replace").strip()
                process.wait()
                raise GitError(
                    f"the branch or a tag changed while piakit was writing: {detail}",
                    hint="nothing was changed; run the command again",
                )
        self._handle = handle  # GitPython kills the process when its handle is collected
        return process

    def _commit_transaction(self, process: Any) -> None:
        process.stdin.write(b"commit\n")
        process.stdin.close()
        answer = process.stdout.readline().strip()
        detail = process.stderr.read().decode("utf-8", "replace").strip()
        if process.wait() != 0 or answer != b"commit: ok":
            raise GitError(f"git update-ref could not commit: {detail}")

    def _staging(self) -> Path:
        """Where files are staged before their rename: the scratch folder in the git
        directory, or, when that is on another file system, a hidden one in the work tree."""
        if os.stat(self._scratch).st_dev == os.stat(self.repo.root).st_dev:
            return self._scratch
        stage = Path(tempfile.mkdtemp(prefix=".piakit-", dir=self.repo.root))
        self._cleanup.append(stage)
        return stage

    def _stage_file(self, target: Path, data: bytes) -> Path:
        fd, name = tempfile.mkstemp(dir=self._staging(), suffix=".stage")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if target.exists():
            os.chmod(name, target.stat().st_mode & 0o7777)
        return Path(name)

    def _prepare_folder(self, folder: str) -> list[tuple[Path, Path]]:
        """Stage ``folder``'s files and the index that lists them beside the real ones, so
        that publishing them is two renames."""
        parts = folder.split("/")
        top = next(
            (
                "/".join(parts[: i + 1])
                for i in range(len(parts))
                if not (self.repo.root / "/".join(parts[: i + 1])).exists()
            ),
            None,
        )
        if top is None:
            raise GitError(f"{folder} exists already: piakit will not write over it")
        stage = self._staging() / "tree"
        for path, data in self._files.items():
            if data is not None and path.startswith(folder + "/"):
                target = stage / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        index = self._scratch / "index"
        if self._index_path.exists():
            shutil.copyfile(self._index_path, index)
        assert self.tip is not None
        self.repo.git(
            "read-tree",
            f"--prefix={folder}/",
            f"{self.tip}:{folder}",
            env={"GIT_INDEX_FILE": str(index)},
        )
        return [(stage / top, self.repo.root / top), (index, self._index_path)]


def _keep_copy(source: Path, copy: Path) -> None:
    """A copy of ``source`` to put back if the swap fails: a hard link where possible."""
    try:
        os.link(source, copy)
    except OSError:
        shutil.copy2(source, copy)


def _undo_swaps(done: Sequence[tuple[Path, Path, Path | None]]) -> None:
    """Put back what the swaps replaced, newest first."""
    for source, target, backup in reversed(done):
        if backup is not None:
            os.replace(backup, target)
        else:
            os.replace(target, source)


def _remove_stale_scratch(git_dir: Path) -> None:
    """Scratch folders left by a writer that was killed (its process is gone)."""
    for folder in git_dir.glob("piakit-*-*"):
        pid = folder.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT, SIGTERM and SIGHUP (delivered when the block ends): a write that
    must not stop half-way. The git child started inside inherits the mask."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
