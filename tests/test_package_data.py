"""The files piakit reads from its own package (stylesheets, schemas) are shipped with it: the
package-data globs of ``pyproject.toml`` cover every such file and name no file that does not
exist, and ``importlib.resources`` finds the stylesheets the code loads."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

from piakit.render import html as html_format
from piakit.website.build import SITE_CSS

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tools" / "piakit"


def package_data_globs() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs: list[str] = config["tool"]["setuptools"]["package-data"]["piakit"]
    return globs


def data_files() -> set[Path]:
    """Every file of the package that is not Python source or a build product."""
    return {
        path.relative_to(PACKAGE)
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }


@pytest.mark.parametrize("pattern", package_data_globs())
def test_every_package_data_glob_matches_a_file(pattern: str) -> None:
    assert [path for path in PACKAGE.glob(pattern) if path.is_file()], pattern


def test_every_data_file_is_shipped() -> None:
    shipped = {
        path.relative_to(PACKAGE)
        for pattern in package_data_globs()
        for path in PACKAGE.glob(pattern)
    }
    assert data_files() - shipped == set()


@pytest.mark.parametrize(
    ("package", "name", "loaded"),
    [
        ("piakit.render", "table.css", html_format.TABLE_CSS),
        ("piakit.render", "page.css", html_format.PAGE_CSS),
        # The site publishes the table's rules followed by its own.
        ("piakit.website", "assets/piakit.css", SITE_CSS.removeprefix(html_format.TABLE_CSS)),
    ],
)
def test_stylesheets_are_package_resources(package: str, name: str, loaded: str) -> None:
    resource = files(package).joinpath(name)
    assert resource.is_file()
    text = resource.read_text(encoding="utf-8")
    assert text == loaded
    assert text.endswith("}\n")
