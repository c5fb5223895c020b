"""Measure piakit on a city-sized repository against the floor of the work it needs.

Side by side in one run, each the median of several (piakit and its baseline alternate, so a
busy neighbour slows both):

- ``piakit table SLUG`` over all the assessment's milestones, against its floor as DESIGN.md
  defines it, ``benchmarks/table-floor.sh`` (a copy of ``../shared/bench/table-floor.sh``):
  the interpreter's start-up with click, GitPython and ruamel.yaml, ``git ls-tree`` of each
  milestone, one ``git cat-file --batch`` of the distinct blobs, one ``git log`` of the range
  limited to the assessment;
- ``piakit table`` of one big item (400 changed lines; 1 MiB with every third line changed;
  1 MiB with every line changed), against the seconds and memory budgets: the text diff's cost;
- ``piakit check`` over every item, against the 2 s budget;
- ``mkdocs build`` with the piakit plugin, against mkdocs building as many plain Markdown
  pages with the same theme and search;
- the peak memory (maximum resident set size) and the CPU time of each, from
  ``/usr/bin/time`` (``wait4`` without it).

A measurement whose command does not exist yet (``piakit check``, the plugin) is reported as
such, and picked up once it lands. Prints a Markdown table: see docs/performance.md.

    python benchmarks/run.py                         # generates /tmp/piakit-bench/city first
    python benchmarks/run.py --repo /tmp/city --runs 7 --only table,check
    python benchmarks/run.py --repo /tmp/city --runs 7 --only table   # the table alone, quickly
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate

BIN = Path(sys.executable).parent
TIME = Path("/usr/bin/time")
PIAKIT = str(BIN / "piakit")
MKDOCS = str(BIN / "mkdocs")
#: What the interpreter imports before piakit can do anything: the floor's start-up.
STARTUP_IMPORTS = "import click, git, ruamel.yaml"
#: The floor of ``piakit table`` as DESIGN.md defines it (a copy of ../shared/bench's, unchanged).
TABLE_FLOOR = Path(__file__).resolve().parent / "table-floor.sh"
TABLE_BUDGET = 1.5  # × table-floor.sh
CHECK_BUDGET = 2.0  # seconds
SITE_BUDGET = 2.0  # × plain mkdocs


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"LC_ALL": "C.UTF-8", "NO_MKDOCS_2_WARNING": "1", "GIT_TERMINAL_PROMPT": "0"})
    env.pop("PIAKIT_DEBUG", None)
    # As a user's machine does: imported modules are compiled once, not at every start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


# --- one timed child -------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_kb: int
    returncode: int
    #: User plus system CPU time of the process tree: what a busy neighbour changes least.
    cpu: float = 0.0


def timed(args: Sequence[str], *, cwd: Path) -> Sample:
    """Run ``args`` once, its output discarded: wall time, and the peak resident set of the
    largest process in its tree. The peak comes from ``/usr/bin/time``, a small process that
    forks the command: a child forked from this Python would count this process's memory."""
    wrapper: list[str] = []
    report = None
    if TIME.is_file():
        handle, name = tempfile.mkstemp(prefix="piakit-bench-", suffix=".rss")
        os.close(handle)
        report = Path(name)
        wrapper = [str(TIME), "-f", "%M %U %S", "-o", name]
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*wrapper, *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=_env(),
        )
        assert proc.stderr is not None
        errors = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss
        cpu = usage.ru_utime + usage.ru_stime
        if report is not None:
            # The last line; a command that fails makes time write a line before it.
            fields = (report.read_text().strip().splitlines() or [""])[-1].split()
            if len(fields) == 3 and fields[0].isdigit():
                peak, cpu = int(fields[0]), float(fields[1]) + float(fields[2])
    finally:
        if report is not None:
            report.unlink(missing_ok=True)
    if proc.returncode:
        tail = errors.decode("utf-8", "replace").strip().splitlines()[-3:]
        print(
            f"  ! {' '.join(args[:4])}… exited {proc.returncode}: {' / '.join(tail)}",
            file=sys.stderr,
        )
    return Sample(seconds, peak, proc.returncode, cpu)


@dataclass
class Measurement:
    name: str
    command: str
    baseline_name: str
    budget: str
    samples: list[Sample] = field(default_factory=list)
    baseline: list[Sample] = field(default_factory=list)
    #: ``ratio`` (piakit / baseline ≤ limit) or ``seconds`` (piakit ≤ limit).
    kind: str = "ratio"
    limit: float = 0.0
    #: The largest peak resident set allowed, if any.
    peak_limit_kb: int | None = None
    skipped: str = ""

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def baseline_median(self) -> float | None:
        return statistics.median(s.seconds for s in self.baseline) if self.baseline else None

    @property
    def ratio(self) -> float | None:
        base = self.baseline_median
        return self.median / base if base else None

    @property
    def failed(self) -> bool:
        return any(s.returncode for s in self.samples)

    @property
    def met(self) -> bool:
        if self.skipped or self.failed:
            return False
        if self.peak_limit_kb and max(s.peak_kb for s in self.samples) > self.peak_limit_kb:
            return False
        if self.kind == "seconds":
            return self.median <= self.limit
        ratio = self.ratio
        return ratio is not None and ratio <= self.limit

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "command": self.command,
            "baseline": self.baseline_name,
            "budget": self.budget,
            "skipped": self.skipped or None,
            "seconds": [s.seconds for s in self.samples],
            "baseline_seconds": [s.seconds for s in self.baseline],
            "cpu_seconds": [s.cpu for s in self.samples],
            "baseline_cpu_seconds": [s.cpu for s in self.baseline],
            "peak_kb": max((s.peak_kb for s in self.samples), default=None),
            "baseline_peak_kb": max((s.peak_kb for s in self.baseline), default=None),
            "met": self.met,
        }


def rounds(
    label: str, runs: int, commands: dict[str, Callable[[], Sample]], *, warmup: bool = True
) -> dict[str, list[Sample]]:
    """``runs`` rounds of every command, in alternating order (a busy neighbour slows them
    alike), after one untimed round that warms the page cache and the bytecode cache."""
    if warmup:
        for run in commands.values():
            run()
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    names = list(commands)
    for round_ in range(runs):
        for name in names if round_ % 2 == 0 else reversed(names):
            samples[name].append(commands[name]())
        print(f"  {label}: round {round_ + 1}/{runs}", file=sys.stderr)
    return samples


# --- the measurements ------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=_env()
    ).stdout


def _has_command(*args: str) -> bool:
    proc = subprocess.run(list(args), capture_output=True, env=_env(), check=False)
    return proc.returncode == 0


def table_floor(repo: Path, slug: str) -> tuple[list[str], int]:
    """The floor of ``piakit table SLUG`` (DESIGN.md's budget): ``benchmarks/table-floor.sh``,
    a copy of the project's shared definition, run on the milestone commits of the table (taken
    from piakit's JSON, the contract), and the number of columns. It starts the interpreter
    with click, GitPython and ruamel.yaml (not piakit), lists the items at every milestone,
    reads each distinct blob once and reads the log of the range, limited to the assessment."""
    out = subprocess.run(
        [PIAKIT, "-C", str(repo), "table", slug, "--format", "json"],
        check=True,
        capture_output=True,
        env=_env(),
    ).stdout
    commits = [column["commit"] for column in json.loads(out)["columns"]]
    return ["bash", str(TABLE_FLOOR), sys.executable, str(repo), slug, *commits], len(commits)


def measure_table(repo: Path, slug: str, runs: int) -> Measurement:
    floor, columns = table_floor(repo, slug)
    samples = rounds(
        f"piakit table {slug}",
        runs,
        {
            "piakit": lambda: timed([PIAKIT, "table", slug], cwd=repo),
            "floor": lambda: timed(floor, cwd=repo),
        },
    )
    return Measurement(
        name=f"`piakit table {slug}` ({columns} milestones)",
        command=f"piakit table {slug}",
        baseline_name="table-floor.sh",
        budget=f"≤ {TABLE_BUDGET:g}×",
        limit=TABLE_BUDGET,
        samples=samples["piakit"],
        baseline=samples["floor"],
    )


#: An item's text of "1 MiB": the item file stays under piakit's cap of 1 MiB a file.
BIG_ITEM_BYTES = (1 << 20) - 8 * 1024
#: The big items: (name, how the text is made, seconds budget, peak memory budget in MB).
BIG_ITEMS: tuple[tuple[str, dict[str, int], float, int | None], ...] = (
    ("an item of 400 lines, every line changed", {"lines": 400}, 1.0, None),
    (
        "an item of 1 MiB, every third line changed",
        {"size": BIG_ITEM_BYTES, "every": 3},
        10.0,
        1024,
    ),
    ("an item of 1 MiB, every line changed", {"size": BIG_ITEM_BYTES, "every": 1}, 10.0, 1024),
)


def measure_big_items(runs: int, work: Path) -> list[Measurement]:
    """``piakit table`` of one item and two milestones, the item's text being the one that
    changes: the diff's own cost (DESIGN.md: never quadratic, bounded memory)."""
    measurements = []
    for n, (name, shape, seconds, peak_mb) in enumerate(BIG_ITEMS):
        repo = generate.big_item_repo(work / f"big-{n}", *generate.big_item_lines(**shape))
        samples = rounds(
            name,
            runs,
            {"piakit": lambda repo=repo: timed([PIAKIT, "table", generate.BIG_SLUG], cwd=repo)},
        )
        measurements.append(
            Measurement(
                name=f"`piakit table`, {name}",
                command=f"piakit table {generate.BIG_SLUG}",
                baseline_name="—",
                budget=f"≤ {seconds:g} s" + (f", ≤ {peak_mb:,} MB" if peak_mb else ""),
                kind="seconds",
                limit=seconds,
                peak_limit_kb=peak_mb * 1024 if peak_mb else None,
                samples=samples["piakit"],
            )
        )
    return measurements


def measure_startup(repo: Path, runs: int) -> Measurement:
    samples = rounds(
        "start-up",
        runs,
        {
            "startup": lambda: timed([sys.executable, "-c", STARTUP_IMPORTS], cwd=repo),
            "bare": lambda: timed([sys.executable, "-c", "pass"], cwd=repo),
        },
    )
    return Measurement(
        name=f'start-up (`python -c "{STARTUP_IMPORTS}"`)',
        command=STARTUP_IMPORTS,
        baseline_name="`python -c pass`",
        budget="",
        kind="info",
        samples=samples["startup"],
        baseline=samples["bare"],
    )


def measure_check(repo: Path, runs: int, items: int) -> Measurement:
    measurement = Measurement(
        name=f"`piakit check` ({items:,} items)",
        command="piakit check",
        baseline_name="start-up",
        budget=f"< {CHECK_BUDGET:g} s",
        kind="seconds",
        limit=CHECK_BUDGET,
    )
    if not _has_command(PIAKIT, "check", "--help"):
        measurement.skipped = "`piakit check` does not exist yet"
        return measurement
    samples = rounds(
        "piakit check",
        runs,
        {
            "check": lambda: timed([PIAKIT, "check"], cwd=repo),
            "startup": lambda: timed([sys.executable, "-c", STARTUP_IMPORTS], cwd=repo),
        },
    )
    measurement.samples, measurement.baseline = samples["check"], samples["startup"]
    return measurement


def _site_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if p.name != "404.html"]


_ARTICLE = re.compile(r"<article[^>]*>(.*?)</article>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _nav_sources(built: Path) -> list[str]:
    """The Markdown sources of the pages in the built site's navigation, in order (read from
    the home page's primary navigation)."""
    html = (built / "index.html").read_text(encoding="utf-8")
    start = html.find("md-nav--primary")
    links = re.findall(r'<a href="([^"#]+)" class="md-nav__link', html[max(start, 0) :])
    sources = []
    for href in links:
        source = "index.md" if href in (".", "./") else href.strip("/") + ".md"
        if source not in sources:
            sources.append(source)
    return sources


def plain_site(folder: Path, built: Path) -> int:
    """A mkdocs project of as many plain Markdown pages as the site ``built`` has, at the
    same paths, with the same theme, search and navigation (the same pages in it, one
    section per folder), each page with as much text as the built page's article. Returns
    the page count."""
    pages = _site_pages(built)
    sizes = []
    for page in pages[:: max(1, len(pages) // 200)]:
        match = _ARTICLE.search(page.read_text(encoding="utf-8"))
        sizes.append(len(_TAG.sub("", match.group(1))) if match else 1000)
    text_size = int(statistics.mean(sizes)) if sizes else 1000
    sentences = [s.lstrip("・") for s in generate.SENTENCES[:32]]
    docs = folder / "docs"
    for n, page in enumerate(sorted(pages)):
        rel = page.relative_to(built)
        if rel.name == "index.html" and rel.parent != Path("."):
            source = rel.parent.as_posix() + ".md"
        else:
            source = rel.with_suffix(".md").as_posix()
        if source == "index.md":
            content = "# 特定個人情報保護評価書\n\n本市の評価書です。\n"
        else:
            body: list[str] = []
            at = n
            while sum(len(s) for s in body) < text_size:
                body.append(sentences[at % len(sentences)])
                at += 7
            paragraphs = ["".join(body[i : i + 3]) for i in range(0, len(body), 3)]
            content = f"# ページ {n}\n\n" + "\n\n## 項目\n\n".join(paragraphs) + "\n"
        target = docs / source
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    sections: dict[str, list[str]] = {}
    for source in _nav_sources(built):
        if (docs / source).is_file():
            sections.setdefault(source.split("/")[0].removesuffix(".md"), []).append(source)
    lines = [
        "site_name: plain",
        "docs_dir: docs",
        "theme:",
        "  name: material",
        "  language: ja",
        "  font: false",
        "plugins:",
        "  - search:",
        "      lang: ja",
        "validation:",
        "  nav:",
        "    omitted_files: ignore",
        "nav:",
    ]
    for section, sources in sections.items():
        if sources == ["index.md"]:
            lines.append("  - index.md")
            continue
        lines.append(f"  - {section}:")
        lines += [f"    - {source}" for source in sources]
    (folder / "mkdocs.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(pages)


def measure_site(repo: Path, runs: int, work: Path) -> Measurement:
    measurement = Measurement(
        name="`mkdocs build`",
        command="mkdocs build",
        baseline_name="plain mkdocs",
        budget=f"≤ {SITE_BUDGET:g}×",
        limit=SITE_BUDGET,
    )
    config = repo / "mkdocs.yml"
    if not config.is_file():
        measurement.skipped = f"{config} does not exist"
        return measurement
    if not _has_command(sys.executable, "-c", "import piakit.mkdocs_plugin.plugin"):
        measurement.skipped = "the piakit mkdocs plugin does not exist yet"
        return measurement
    out = work / "site-piakit"
    first = timed([MKDOCS, "build", "-q", "-f", str(config), "-d", str(out)], cwd=repo)
    if first.returncode:
        measurement.skipped = "`mkdocs build` failed"
        return measurement
    plain = work / "plain"
    pages = plain_site(plain, out)
    measurement.name = f"`mkdocs build` ({pages:,} pages)"

    def piakit_build() -> Sample:
        shutil.rmtree(out, ignore_errors=True)
        return timed([MKDOCS, "build", "-q", "-f", str(config), "-d", str(out)], cwd=repo)

    def plain_build() -> Sample:
        target = work / "site-plain"
        shutil.rmtree(target, ignore_errors=True)
        return timed([MKDOCS, "build", "-q", "-d", str(target)], cwd=plain)

    samples = rounds(
        "mkdocs build", runs, {"piakit": piakit_build, "plain": plain_build}, warmup=False
    )
    measurement.samples, measurement.baseline = samples["piakit"], samples["plain"]
    return measurement


# --- the report ------------------------------------------------------------------------------


def _mb(samples: Sequence[Sample]) -> str:
    return f"{max(s.peak_kb for s in samples) / 1024:.0f}" if samples else "—"


def _cpu(samples: Sequence[Sample]) -> str:
    return f"{statistics.median(s.cpu for s in samples):.2f}" if samples else "—"


def report(measurements: Sequence[Measurement], header: Sequence[str]) -> str:
    lines = [*header, ""]
    lines.append(
        "| measurement | median s | baseline | baseline s | ratio | budget | met? "
        "| CPU s | baseline CPU s | peak MB | baseline peak MB |"
    )
    lines.append("|---|---:|---|---:|---:|---|---|---:|---:|---:|---:|")
    for m in measurements:
        if m.skipped:
            lines.append(
                f"| {m.name} | — | {m.baseline_name} | — | — | {m.budget} "
                f"| not measured: {m.skipped} | — | — | — | — |"
            )
            continue
        base = m.baseline_median
        ratio = m.ratio
        met = "—" if m.kind == "info" else ("yes" if m.met else "**no**")
        if m.failed:
            met = "**failed**"
        lines.append(
            f"| {m.name} | {m.median:.3f} | {m.baseline_name} "
            f"| {'—' if base is None else f'{base:.3f}'} "
            f"| {'—' if ratio is None else f'{ratio:.2f}×'} | {m.budget or '—'} | {met} "
            f"| {_cpu(m.samples)} | {_cpu(m.baseline)} | {_mb(m.samples)} | {_mb(m.baseline)} |"
        )
    return "\n".join(lines) + "\n"


def _machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    git = _git(Path("."), "--version").strip()
    return (
        f"{os.cpu_count()} cores{f' ({model})' if model else ''}, "
        f"Python {platform.python_version()}, {git}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repo",
        type=Path,
        default=Path(tempfile.gettempdir()) / "piakit-bench" / "city",
        help="the repository (generated with the defaults if missing)",
    )
    parser.add_argument("--slug", help="the assessment of the table (default: the middle one)")
    parser.add_argument("--runs", type=int, default=5, help="timed rounds per measurement")
    parser.add_argument("--site-runs", type=int, help="timed rounds of the site (default --runs)")
    parser.add_argument(
        "--only",
        default="startup,table,big,check,site",
        help="comma-separated: startup, table, big (the big items), check, site",
    )
    parser.add_argument("--json", type=Path, help="also write the samples as JSON here")
    args = parser.parse_args(argv)
    only = {name.strip() for name in args.only.split(",")}

    repo: Path = args.repo.resolve()
    if not (repo / ".git").is_dir():
        print(f"generating {repo} …", file=sys.stderr)
        started = time.perf_counter()
        generate.generate(repo, generate.Sizes())
        print(f"  generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    slugs = sorted(p.name for p in (repo / "assessments").iterdir() if p.is_dir())
    if args.slug and args.slug not in slugs:
        parser.error(f"--slug {args.slug}: no such assessment in {repo} ({', '.join(slugs)})")
    slug = args.slug or ("kokumin-nenkin" if "kokumin-nenkin" in slugs else slugs[len(slugs) // 2])
    items = sum(1 for _ in (repo / "assessments").glob("*/items/*.yaml"))
    commits = int(_git(repo, "rev-list", "--count", "HEAD"))
    tags = len(_git(repo, "tag").split())

    measurements: list[Measurement] = []
    with tempfile.TemporaryDirectory(prefix="piakit-bench-") as tmp:
        work = Path(tmp)
        if "startup" in only:
            measurements.append(measure_startup(repo, args.runs))
        if "table" in only:
            measurements.append(measure_table(repo, slug, args.runs))
        if "big" in only:
            measurements.extend(measure_big_items(args.runs, work))
        if "check" in only:
            measurements.append(measure_check(repo, args.runs, items))
        if "site" in only:
            measurements.append(measure_site(repo, args.site_runs or args.runs, work))

    header = [
        f"Repository: {len(slugs)} assessments, {items:,} items, {commits:,} commits, "
        f"{tags} milestone tags. Machine: {_machine()}. Median of {args.runs} runs"
        + (f" ({args.site_runs} for the site)" if args.site_runs else "")
        + "."
    ]
    print(report(measurements, header))
    if args.json:
        args.json.write_text(
            json.dumps([m.as_json() for m in measurements], ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
    return 0 if all(m.met or m.kind == "info" for m in measurements) else 1


if __name__ == "__main__":
    sys.exit(main())
