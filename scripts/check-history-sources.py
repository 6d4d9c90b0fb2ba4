#!/usr/bin/env python3
"""Check that the history suite cites only sources dated before each episode's start.

Every scenario of scenarios/history/ (other than *.questions.toml) is a past episode
with `[run] start`; it must be written only from what was public before that date.
Its sources are named in two places, both checked here:

- the `[scenario] sources` list;
- the legend of source tags in the header comments, one entry per tag
  (`#   [IAEA]   IAEA quarterly report of 22 February 2019 ...`, continued on more
  deeply indented comment lines). Numbers elsewhere cite these tags.

Every date in a source must be before the start. Dates recognised: ISO `2019-05-12`;
`12 May 2019` and ranges `13-14 April 2024` (the later day); `12 May` without a year
(taken in the start's year); `May 2019` (the month's last day, except the start's own
month); a bare year (its last day, except the start's own year). A date on or after the
start is allowed on a line that says it was `scheduled` (an election or a board meeting
announced before the start). Every tag cited anywhere in the file must be defined in its
legend or its parent's, so that no source escapes the check. A parent file (the shared
assumptions, through `extends`) is checked against the earliest start of the episodes
that extend it. Each episode also needs its `<stem>.questions.toml`.

Usage: scripts/check-history-sources.py [DIR]   (default scenarios/history)
Exit status 0 when every source is dated before its start, 1 otherwise, 2 on a bad file.
"""

import calendar
import os
import datetime as dt
import re
import sys
import tomllib
from pathlib import Path

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTH_RE = "|".join(m for m in calendar.month_name if m)
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
DAY_MONTH_YEAR = re.compile(
    rf"\b(?:\d{{1,2}}\s*-\s*)?(\d{{1,2}})\s+({MONTH_RE})(?:\s+(\d{{4}}))?\b", re.I
)
MONTH_YEAR = re.compile(rf"\b({MONTH_RE})\s+(\d{{4}})\b", re.I)
YEAR = re.compile(r"(?<![\d.,-])((?:19|20)\d{2})(?![\d.,]|-\d{2}-)\b")
SCHEDULED = re.compile(r"\bscheduled\b", re.I)
LEGEND = re.compile(r"^#\s{1,4}\[([^\]]+)\]\s+(.*)$")
CONTINUATION = re.compile(r"^#\s{6,}(\S.*)$")
TAG = re.compile(r"\[([A-Za-z0-9][^\[\]]{0,24})\]")


def last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def dates_in(line: str, start: dt.date):
    """Yields (text, latest day the mention can mean) for each date in the line."""
    taken = []

    def free(span):
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    for m in ISO.finditer(line):
        taken.append(m.span())
        yield m.group(0), dt.date(int(m[1]), int(m[2]), int(m[3]))
    for m in DAY_MONTH_YEAR.finditer(line):
        if not free(m.span()):
            continue
        taken.append(m.span())
        year = int(m[3]) if m[3] else start.year
        yield m.group(0), dt.date(year, MONTHS[m[2].lower()], int(m[1]))
    for m in MONTH_YEAR.finditer(line):
        if not free(m.span()):
            continue
        taken.append(m.span())
        yield m.group(0), last_day(int(m[2]), MONTHS[m[1].lower()])
    for m in YEAR.finditer(line):
        if not free(m.span()):
            continue
        yield m.group(0), dt.date(int(m[1]), 12, 31)


def too_late(text: str, day: dt.date, start: dt.date) -> bool:
    """Whether a mention `text` meaning up to `day` may fall on or after `start`."""
    if re.fullmatch(r"\d{4}", text) and day.year == start.year:
        return False  # a bare year of the start: the event may be before it
    if MONTH_YEAR.fullmatch(text) and (day.year, day.month) == (start.year, start.month):
        return False  # likewise a month
    return day >= start


def legend(lines: list[str]) -> dict[str, list[tuple[int, str]]]:
    """The header's source legend: tag -> its (line number, text) lines."""
    tags: dict[str, list[tuple[int, str]]] = {}
    current = None
    for n, line in enumerate(lines, 1):
        if not line.startswith("#"):
            break
        m = LEGEND.match(line)
        if m:
            current = m[1]
            tags[current] = [(n, m[2])]
        elif current and (c := CONTINUATION.match(line)):
            tags[current].append((n, c[1]))
        else:
            current = None
    return tags


def source_lines(lines: list[str], doc: dict):
    """Every (line number, text) that names a source: legend entries and `sources`."""
    for entries in legend(lines).values():
        yield from entries
    for entry in doc.get("scenario", {}).get("sources", []):
        n = next((i for i, text in enumerate(lines, 1) if entry[:40] in text), 0)
        yield n, entry


def check(path: Path, start: dt.date, known_tags: set[str]) -> list[str]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    doc = tomllib.loads(text)
    problems = []
    for n, line in source_lines(lines, doc):
        if SCHEDULED.search(line):
            continue
        for mention, day in dates_in(line, start):
            if too_late(mention, day, start):
                problems.append(
                    f"{path}:{n}: source dated '{mention}', not before the start {start} "
                    f"(cite only earlier sources; a date announced in advance says 'scheduled')"
                )
    defined = known_tags | set(legend(lines))
    for n, line in enumerate(lines, 1):
        if line.lstrip().startswith("[") or LEGEND.match(line):
            continue  # TOML table headers and legend entries themselves
        for m in TAG.finditer(line):
            tag = m[1]
            if tag not in defined and not tag.startswith(("\"", "'")):
                problems.append(f"{path}:{n}: source tag [{tag}] is not defined in the header's legend")
    return problems


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "scenarios/history")
    episodes = {}
    parents: dict[Path, list[dt.date]] = {}
    episodes_parent: dict[Path, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name.endswith(".questions.toml"):
            continue
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            print(f"{path}: cannot read: {e}", file=sys.stderr)
            return 2
        start = doc.get("run", {}).get("start")
        if start is not None:
            start = start if isinstance(start, dt.date) else dt.date.fromisoformat(start)
            episodes[path] = start
            if "extends" in doc:
                parent = Path(os.path.normpath(path.parent / doc["extends"]))
                parents.setdefault(parent, []).append(start)
                episodes_parent[path] = parent
    problems = []
    parent_tags: dict[Path, set[str]] = {}
    for parent, starts in parents.items():
        problems += check(parent, min(starts), set())
        parent_tags[parent] = set(legend(parent.read_text(encoding="utf-8").splitlines()))
    for path, start in episodes.items():
        if not (path.parent / f"{path.stem}.questions.toml").is_file():
            problems.append(f"{path}: no {path.stem}.questions.toml beside it")
        parent = episodes_parent.get(path)
        problems += check(path, start, parent_tags.get(parent, set()))
    for p in problems:
        print(p)
    print(
        f"{len(episodes)} episodes, {len(parents)} shared parent(s): "
        + ("every source is dated before its start" if not problems else f"{len(problems)} problem(s)")
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
