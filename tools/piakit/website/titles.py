"""The site's fixed words (page titles, headings, download labels) and the two functions that
make any text safe to use as a title.

Page titles and navigation labels go through ``safe_title``: themes print them without
escaping (Material even unescapes them for ``<title>``), so they must not contain ``<``, ``>``
or ``&`` at all. Nothing here writes HTML.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

#: Page and link titles of each assessment's fixed pages.
OVERVIEW_TITLE = "概要"
DOCUMENT_TITLE = "評価書"
DRAFT_TITLE = "作業中の案"
TABLE_PAGE_TITLE = "修正等を要する部分とその内容"
CHANGES_TITLE = "別添3 変更箇所"
ITEMS_TITLE = "項目の一覧と履歴"
OPINIONS_TITLE = "意見と対応"
ASSESSMENTS_HEADING = "評価書の一覧"

#: How a download link names each format.
DOWNLOAD_LABELS = {
    "csv": "CSV",
    "xlsx": "Excel (xlsx)",
    "docx": "Word (docx)",
    "html": "印刷用 HTML (A3 横)",
}

#: Replacements that keep a title free of markup characters (see the module docstring).
_TITLE_SAFE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "`": "｀"})
#: Characters Python-Markdown (and CommonMark) honour a backslash escape for.
_MD_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^])")


def safe_title(text: str) -> str:
    """One line of text with no markup character, for titles and navigation labels."""
    return " ".join(text.split()).translate(_TITLE_SAFE)


def markdown_title(text: str) -> str:
    """``safe_title`` with Markdown's own punctuation escaped, for a ``# heading`` line."""
    return _MD_SPECIAL_RE.sub(r"\\\1", safe_title(text))


def distinct_labels(paths: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """For each key (an item id), the shortest tail of its heading path that no other key's
    path ends with, joined by " › ": ``⑥委託先名`` where that heading is unique, ``委託事項2 ›
    ⑥委託先名`` where several items share it. A key whose whole path another key has too (or
    whose path is empty) gets the key added in parentheses: no two labels are the same."""
    whole = {key: tuple(" ".join(part.split()) for part in path) for key, path in paths.items()}
    deepest = max((len(path) for path in whole.values()), default=0)
    # tails[n]: how many keys' paths end with each tail of n headings
    tails = [
        Counter(path[-n:] for path in whole.values() if len(path) >= n) for n in range(deepest + 1)
    ]
    labels: dict[str, str] = {}
    for key, path in whole.items():
        length = 1
        while length < len(path) and tails[length][path[-length:]] > 1:
            length += 1
        tail = path[-length:] if path else ()
        unique = bool(tail) and tails[len(tail)][tail] == 1
        labels[key] = " › ".join(tail) + ("" if unique else f" ({key})") if tail else key
    return labels
