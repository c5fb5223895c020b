"""Opening an assessments repository: find it and its assessments folder, and start the
git reads that every request about it begins with: HEAD, the tags, and the history pass.

This is the read model's first step, and it stays light on purpose: it imports the git layer
and the conventions, never the documents, the read model itself or the text diff. A command
opens the repository first, so that git reads the history while the rest of piakit loads;
``Workspace.adopt`` then takes what was started here, and nothing is asked of git twice.

Never prints, never parses an item, never decides what a milestone is bound to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from piakit.conventions import ASSESSMENT_FILE, ASSESSMENTS_DIR
from piakit.history import Pending, Repository

if TYPE_CHECKING:
    from piakit.model import Commit


@dataclass(frozen=True)
class Opening:
    """A repository opened for a request, with the reads already under way: HEAD's commit
    (``head``), the tags (``tags``) and, when asked for, the first history pass
    (``history``)."""

    repo: Repository
    assessments_dir: str
    scope: str | None
    head: str
    tags: dict[str, str]
    history: Pending[list[Commit]] | None = None


def open_repository(
    path: Path | str = ".",
    assessments_dir: str = ASSESSMENTS_DIR,
    scope: str | None = None,
    *,
    history: bool = False,
) -> Opening:
    """The repository at ``path`` (or above it), HEAD and the tags read, and with
    ``history`` the first history pass of ``scope`` started (``first_pass``). HEAD and the
    tags are asked of git at the same time; a shallow clone or an empty history is refused
    here, before anything is read."""
    repo = Repository.discover(path)
    folder = locate_assessments_dir(repo, path, assessments_dir)
    # The history pass goes first, from the scope's own tags as git finds them: it need not
    # wait for HEAD and the tags to be read, which are asked for beside it.
    early = None
    if history and scope is not None:
        early = repo.start_log(_tips("HEAD", scope), paths=[f"{folder}/{scope}/"])
    pending_tags = repo.start_tags()
    head = repo.require_history()
    tags = pending_tags.result()
    if not history:
        return Opening(repo, folder, scope, head, tags)
    wanted = milestone_tags(tags, slugs_in(repo.root / folder), scope)
    if early is None or not _own(wanted, scope):
        # Tags of a name no assessment has now (a renamed folder): the pass starts from them
        # too, named one by one; git stops the pass started on the guess.
        if early is not None:
            early.cancel()
        early = first_pass(repo, head, wanted, folder, scope)
    return Opening(repo, folder, scope, head, tags, early)


def first_pass(
    repo: Repository,
    head: str,
    tags: Mapping[str, str],
    assessments_dir: str,
    scope: str | None,
    starts: Sequence[str] = (),
    folders: Sequence[str] | None = None,
    discover: bool = False,
) -> Pending[list[Commit]]:
    """Start the history pass from HEAD, the milestone ``tags`` and ``starts``, listing the
    changes under ``folders`` (default: the scope's, or everything); with ``discover``,
    under every ``assessment.yaml`` too (to find the folder an assessment was renamed
    from). When every tag is the scope's own, git is given them as one pattern
    (``--glob``), as ``open_repository`` gives them before it has read the tags: the same
    commits in the same order, whichever of the two started the pass."""
    if folders is None:
        folders = [scope] if scope else []
    paths = [f"{assessments_dir}/{folder}/" for folder in folders]
    if discover:
        paths.append(f":(glob){assessments_dir}/*/{ASSESSMENT_FILE}")
    if scope is not None and _own(tags, scope):
        return repo.start_log([*_tips(head, scope), *starts], paths=paths)
    tagged = sorted((set(tags.values()) | set(starts)) - {head})
    return repo.start_log([head, *tagged], paths=paths)


def _own(tags: Mapping[str, str], scope: str | None) -> bool:
    """Whether every one of ``tags`` is ``scope``'s own (``<scope>/<id>``)."""
    return scope is not None and all(name.startswith(f"{scope}/") for name in tags)


def _tips(head: str, scope: str) -> list[str]:
    """HEAD and every tag ``<scope>/<id>``, as git's revision arguments."""
    return [head, f"--glob=refs/tags/{scope}/*"]


def milestone_tags(
    tags: Mapping[str, str], slugs: Sequence[str], scope: str | None
) -> dict[str, str]:
    """The tags a history pass starts from: every ``<slug>/<id>`` tag, or, for a request
    scoped to one assessment, its own and those of names that no current assessment has (it
    may have been renamed from one). Another assessment's tags add nothing to this one's
    history but the cost of walking from them."""
    tagged = {name: sha for name, sha in tags.items() if "/" in name}
    if scope is None:
        return tagged
    current = set(slugs) - {scope}
    return {name: sha for name, sha in tagged.items() if name.split("/", 1)[0] not in current}


def slugs_in(folder: Path) -> list[str]:
    """The assessments on disk: the folders of ``folder`` that hold an ``assessment.yaml``."""
    if not folder.is_dir():
        return []
    return sorted(p.parent.name for p in folder.glob(f"*/{ASSESSMENT_FILE}"))


def locate_assessments_dir(repo: Repository, start: Path | str, assessments_dir: str) -> str:
    """The assessments folder as a path from the top of the work tree. It is found from the
    folder piakit started in (``-C``), as ``check`` finds it: a repository whose assessments
    sit in a subfolder of the work tree works from that subfolder."""
    here = (Path(start) / assessments_dir).resolve()
    root = repo.root.resolve()
    if here.is_dir() and here != root / assessments_dir and here.is_relative_to(root):
        return here.relative_to(root).as_posix()
    return assessments_dir
