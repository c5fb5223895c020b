"""Writing exports: atomically, with the usual file mode, and a clear error where the path
cannot be written (no half-written file left behind)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from piakit.cli import all_commands, cli
from piakit.cli._common import write_output
from piakit.errors import PiakitError


def test_written_file_has_the_umask_mode(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    old = os.umask(0o022)
    try:
        write_output(b"a,b\r\n", str(target))
    finally:
        os.umask(old)
    assert target.read_bytes() == b"a,b\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PiakitError, match="does not exist"):
        write_output(b"x", str(tmp_path / "nope" / "table.xlsx"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
def test_a_pipe_or_device_is_written_into_not_replaced(tmp_path: Path) -> None:
    """``-o`` a named pipe (or ``/dev/null``, not tried here: a regression would replace the
    machine's own): the rename of an atomic write would put a regular file in its place."""
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    write_output(b"a,b\r\n", str(pipe))
    reader.join(timeout=10)
    assert received == [b"a,b\r\n"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_failed_rename_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "is-a-folder"
    target.mkdir()
    (target / "keep").write_text("x", encoding="utf-8")
    with pytest.raises(PiakitError, match="cannot write"):
        write_output(b"data", str(target))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["is-a-folder"]


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for name, command in all_commands().items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help, f"{name} has no help text"


def test_usage_error_exits_2() -> None:
    result = CliRunner().invoke(cli, ["table"])
    assert result.exit_code == 2
