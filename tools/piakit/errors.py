"""piakit's own exceptions: what went wrong, where, and what to do about it.

Every expected failure is a ``PiakitError`` carrying a message that names the file and line or
the commit, and a hint. The command line turns them into exit code 1 (``InputError``) or 3
(anything unexpected); the mkdocs plugin turns them into ``PluginError``. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in a file: 1-based line and column, as editors count them."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = self.path
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


@dataclass(frozen=True)
class Problem:
    """One validation problem, reported as ``path:line:col: message``; a ``warning`` (
    ``path:line:col: warning: message``) is worth a look but fails nothing."""

    location: Location
    message: str
    warning: bool = False

    def __str__(self) -> str:
        if self.warning:
            return f"{self.location}: warning: {self.message}"
        return f"{self.location}: {self.message}"


class PiakitError(Exception):
    """Base of every error piakit expects. ``hint`` says what to do."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  hint: {self.hint}"
        return self.message


class InputError(PiakitError):
    """The user's input is wrong: a file, a table, an argument, a milestone. Exit 1."""


class DocumentError(InputError):
    """A YAML file cannot be read or does not follow the format."""

    def __init__(self, location: Location, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"{location}: {message}", hint=hint)
        self.location = location
        self.detail = message


class GitError(PiakitError):
    """Git failed or the repository cannot serve the request (not a repository, shallow...)."""


class ImportTableError(InputError):
    """A comparison table to import is malformed; the message names the line."""
