"""Checks of the values given to commands' options that several use cases share.

Nothing here reads or writes a file; a value that fails is an ``InputError`` naming the
option and saying what to give instead.
"""

from __future__ import annotations

from piakit.errors import InputError


def one_line(option: str, value: str, *, hint: str) -> str:
    """``value`` stripped, refused when empty or when it holds a control character (a line
    break would break the YAML and the site's title it is written into)."""
    value = value.strip()
    if not value or any(ch < " " or ch == "\x7f" for ch in value):
        raise InputError(f"{option} {value!r} is not a name on one line", hint=hint)
    return value
