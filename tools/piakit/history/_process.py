"""One git process: the environment every git command runs with, what its failures mean
(a ``GitError`` with git's own message and, where we know one, a hint) and ``Pending``, a
command started in the background and read when its answer is needed.

It never starts git itself (``Repository`` does) and never hides a failure: a damaged object
that git reports but exits 0 for is an error here too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from piakit.errors import GitError

DAMAGED_HINT = (
    "the repository's object store is damaged: run git fsck to see what is broken, then "
    "fetch the missing objects from a good clone (git fetch) or clone again"
)

#: Hints for the failures people meet, matched against git's own message.
_FAILURE_HINTS = (
    (
        (
            "corrupt",
            "inflate",
            "bad object",
            "unable to read",
            "invalid object",
            "loose object",
            "missing object",
        ),
        DAMAGED_HINT,
    ),
    (
        ("dubious ownership",),
        "git refuses a repository owned by another user: git config --global --add "
        "safe.directory <path> (or run piakit as the owner)",
    ),
)


#: What every git command runs with: UTF-8 messages, never a prompt for a password.
ENV = {"LC_ALL": "C.UTF-8", "LANGUAGE": "C", "GIT_TERMINAL_PROMPT": "0"}


def not_installed() -> GitError:
    return GitError(
        "git is not installed (or not on PATH)",
        hint="install git (Debian/Ubuntu: apt-get install git; Windows: Git for Windows), "
        "or set GIT_PYTHON_GIT_EXECUTABLE to the git program",
    )


T = TypeVar("T")


class Pending(Generic[T]):
    """A git command started by ``Repository.start``, running while this process goes on.

    A thread drains its output as git writes it: left in the pipe, a long answer (a log)
    would fill the pipe's buffer and stop git until ``result`` is called."""

    def __init__(self, args: Sequence[str], process: Any, parse: Callable[[bytes], T]) -> None:
        self._args = args
        self._process = process
        self._parse = parse
        self._output: tuple[bytes, bytes] = (b"", b"")
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        self._result: tuple[T] | None = None

    def _drain(self) -> None:
        out, err = self._process.communicate()
        self._output = (out, err)

    def cancel(self) -> None:
        """Stop git: its answer will not be asked for (a read started on a guess that turned
        out wrong). Nothing is parsed; ``result`` must not be called after this."""
        self._process.proc.kill()

    def result(self) -> T:
        """Wait for git (once) and return what it answered, read."""
        if self._result is None:
            self._reader.join()
            out, err = self._output
            checked = checked_output(self._args, self._process.returncode, out, err, check=True)
            self._result = (self._parse(checked),)
        return self._result[0]


def checked_output(
    args: Sequence[str], status: int, out: bytes, err: bytes | str, *, check: bool
) -> bytes:
    """git's output, or a ``GitError`` with git's own message and, where we know one, a hint."""
    # GitPython hands stderr back already decoded from ``execute``, as bytes from a process.
    detail = (err.decode("utf-8", "replace") if isinstance(err, bytes) else err).strip()
    hint = next((h for needles, h in _FAILURE_HINTS if any(n in detail for n in needles)), None)
    if status != 0 and check:
        raise GitError(f"git {' '.join(args[:3])} failed: {detail}", hint=hint)
    if hint is not None and detail.startswith(("error:", "fatal:")):
        # ``cat-file --batch`` reports a damaged object as "missing" and exits 0: a
        # table built from that would silently lack the item.
        raise GitError(f"git {' '.join(args[:3])}: {detail}", hint=hint)
    return out
