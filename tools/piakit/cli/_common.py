"""What every command shares: the context, the error handler and the output helpers.

One place decides exit codes: 0 done, 1 the input is wrong (``PiakitError``), 2 usage
(click), 3 an unexpected error, 130 interrupted.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TypeVar

import click

from piakit.errors import InputError, PiakitError

P = ParamSpec("P")
R = TypeVar("R")

EXIT_INPUT = 1
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Context:
    repo: str
    assessments_dir: str

    def workspace(self, scope: str | None = None) -> Any:
        """The repository, opened once for this command; ``scope``: the one assessment the
        command is about, whose changes alone the history pass then lists."""
        from piakit.workspace import Workspace

        return Workspace.open(self.repo, self.assessments_dir, scope)

    def workspace_reading(self, scope: str) -> Any:
        """``workspace(scope)``, git already reading its history when this returns: the
        repository is opened and the history pass started before the read model and the
        use case load (``piakit.opening``), so that git works while they do."""
        from piakit.opening import open_repository

        opening = open_repository(self.repo, self.assessments_dir, scope, history=True)
        from piakit.workspace import Workspace

        return Workspace.adopt(opening)


#: ``--format text|json`` for the commands that print a report.
text_or_json_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)


def fail(message: str, hint: str | None = None) -> NoReturn:
    """End the command with exit 1 and ``message`` (the input is wrong), as piakit's own
    errors do: the commands need not know the error classes."""
    raise InputError(message, hint=hint)


def warn(message: str) -> None:
    """One warning on stderr, in the form every command uses."""
    click.echo(f"piakit: warning: {message}", err=True)


def warn_about_history(ws: Any, slug: str | None, *, uncommitted: bool = True) -> None:
    """Warn about what the output leaves out or takes on trust: item files of ``slug`` (of
    every assessment when None) edited but not committed, since the output shows committed
    history only; and ``slug``'s milestone bindings that are doubtful (the ambiguous ones
    have refused the command already)."""
    edited = ws.uncommitted_items(slug) if uncommitted else []
    if edited:
        more = f" and {len(edited) - 5} more" if len(edited) > 5 else ""
        warn(
            f"uncommitted edits to item files ({', '.join(edited[:5])}{more}): this shows "
            "committed history only; commit them, or see them with piakit table --worktree"
        )
    if slug is not None:
        from piakit.bindings import milestone_findings

        for finding in milestone_findings(ws, slug):
            if finding.severity == "warning":
                warn(str(finding))


def report_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn piakit's own errors into a message and exit 1; anything else into exit 3."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except PiakitError as exc:
            click.echo(f"piakit: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("piakit: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:  # the one place that catches everything
            if os.environ.get("PIAKIT_DEBUG"):
                import traceback  # only here: a command that succeeds never loads it

                traceback.print_exc()
            click.echo(
                f"piakit: internal error: {type(exc).__name__}: {exc}\n"
                "  hint: this is a bug in piakit; run again with PIAKIT_DEBUG=1 and report "
                "the traceback",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)

    return wrapper


def run_main(group: click.Group) -> None:
    """Run the command line and end the process with its exit code.

    The interpreter is not torn down: once the output is flushed nothing is left to do, and
    freeing every object read from the history (and waiting for GitPython's helper processes)
    costs a short command like ``piakit table`` a tenth of its time. Every command cleans up
    its own files before it returns, and no command registers ``atexit`` work.

    The cycle collector is off: a command lives a fraction of a second to a few seconds,
    frees what it drops by reference counting, and would otherwise spend about 15 ms of
    ``piakit table`` walking the objects of its imports and its history again and again."""
    import gc

    gc.disable()
    code: int
    try:
        group.main(prog_name="piakit", standalone_mode=True)
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc.code)
    except KeyboardInterrupt:
        click.echo("piakit: interrupted", err=True)
        code = EXIT_INTERRUPTED
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # the reader went away (``piakit table | head``)
        code = code or EXIT_INPUT
    os._exit(code)


def _exit_code(code: object) -> int:
    """What ``sys.exit(code)`` would end the process with (a message is printed, exit 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def write_output(data: bytes, output: str | None, *, binary: bool = False) -> None:
    """Write to ``output`` atomically (a temporary file, then rename), or to stdout."""
    if output is None or output == "-":
        if binary and sys.stdout.isatty():
            raise PiakitError(
                "this format is binary and would garble the terminal",
                hint="write it to a file with -o FILE",
            )
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    if target.exists() and not target.is_file() and not target.is_dir():
        # A device or a pipe (/dev/null, /dev/stdout, a FIFO): written into as it is. The
        # temporary file and rename below would replace it with a regular file.
        with open(target, "wb") as handle:
            handle.write(data)
        return
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise PiakitError(
            f"cannot write {target}: the folder {directory} does not exist",
            hint="create the folder first or choose another -o path",
        )
    import tempfile  # only for -o: printing to stdout never loads it

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise PiakitError(
            f"cannot write {target}: {exc.strerror}", hint="choose a folder you can write to"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp makes the file private (0600); give it the mode any new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise PiakitError(
            f"cannot write {target}: {exc.strerror}", hint="choose a path you can write to"
        ) from None
