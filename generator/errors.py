"""Problems found in the input. Bad input is an expected outcome: it is collected, not thrown at users."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .ir import SourceLoc


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with the input, printed as `file:line: error: message` (or `warning:`)."""

    loc: SourceLoc
    message: str
    warning: bool = False
    """A docs inconsistency docmodels works around (reported, not fatal)."""
    kind: str = ""
    """A short stable slug naming what kind of warning this is (`name-clash`, `missing-link-redirect`,
    ...): warnings of one kind are printed as one line with a count. Empty for errors."""

    @property
    def severity(self) -> str:
        return "warning" if self.warning else "error"

    def __str__(self) -> str:
        # Problems with no place in a page (a bad command-line argument) carry an empty path.
        where = str(self.loc) if self.loc.path else "docmodels"
        text = f"{where}: {self.severity}: {self.message}"
        return text if text.isprintable() else printable(text)

    def parts(self) -> tuple[str, str | None]:
        """The message and its hint, where the message ends in one `; expected ...` part (`x; expected
        y` -> `x`, `expected y`); else the whole message and None."""
        found, sep, hint = self.message.partition("; expected ")
        if not sep or not found or not hint or "; " in hint:  # a hint with more after it is not clean
            return self.message, None
        return found, f"expected {hint}"


# Warnings: how many lines a kind takes before it is printed as one, and how many places that
# line names.
COLLAPSE_FROM = 4
FIRST_PLACES = 3
MAX_SHOWN = 200
"""Lines of problems printed (unless verbose); a page broken throughout says the rest in a count."""


def counts(problems: Iterable[Problem]) -> str:
    """`3 errors, 12 warnings`."""
    problems = list(problems)
    warnings = sum(p.warning for p in problems)
    errors = len(problems) - warnings
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def collapsed(problems: Iterable[Problem]) -> list[tuple[Problem, list[Problem]]]:
    """Problems in order, each with the later ones of its kind folded into it: a warning kind that
    occurs COLLAPSE_FROM times or more is one entry at its first place. Errors and warnings of
    no kind stay one entry each."""
    problems = sorted(problems)
    by_kind: dict[str, list[Problem]] = {}
    for p in problems:
        if p.warning and p.kind:
            by_kind.setdefault(p.kind, []).append(p)
    entries: list[tuple[Problem, list[Problem]]] = []
    for p in problems:
        same = by_kind.get(p.kind) if p.warning and p.kind else None
        if same is None or len(same) < COLLAPSE_FROM:
            entries.append((p, []))
        elif same[0] is p:
            entries.append((p, same[1:]))
    return entries


def text_line(problem: Problem, more: Sequence[Problem] = ()) -> str:
    """`file:line: warning: message`, and for a collapsed kind `; and 175 more like it (first:
    b.md:4, c.md:9, ...; -v lists them all)`."""
    if not more:
        return str(problem)
    line = f"{problem}; and {len(more):,} more like it (first: {_places(problem, more)}; -v lists them all)"
    return line if line.isprintable() else printable(line)


def _places(problem: Problem, more: Sequence[Problem]) -> str:
    """The first FIRST_PLACES places of `more` other than `problem`'s, each once."""
    places = dict.fromkeys(str(p.loc) for p in more if p.loc != problem.loc)
    return ", ".join(list(places)[:FIRST_PLACES])


def json_line(problem: Problem) -> str:
    """One JSON object: file, line, severity, kind, message, hint (null where the message has no
    clean `; expected ...` part)."""
    import json

    message, hint = problem.parts()
    data = {
        "file": problem.loc.path or None,
        "line": problem.loc.line if problem.loc.path else None,
        "severity": problem.severity,
        "kind": problem.kind or None,
        "message": message,
        "hint": hint,
    }
    return json.dumps(data, ensure_ascii=True)


def github_line(problem: Problem, more: Sequence[Problem] = ()) -> str:
    """A GitHub Actions annotation: `::error file=F,line=N,title=docmodels KIND::message`, escaped
    as GitHub's toolkit escapes them (`%`, CR, LF in the message; also `:` and `,` in properties)."""
    message = problem.message
    if more:
        message += f"; and {len(more):,} more like it (first: {_places(problem, more)}; -v lists them all)"
    title = f"docmodels {problem.kind}" if problem.kind else "docmodels"
    properties = [f"file={printable(_escape_property(problem.loc.path))}", f"line={problem.loc.line}"] if problem.loc.path else []
    properties.append(f"title={_escape_property(title)}")
    return f"::{problem.severity} {','.join(properties)}::{printable(_escape_data(message))}"


FORMATS = ("text", "json", "github")


def report(problems: Iterable[Problem], fmt: str = "text", verbose: bool = False, quiet: bool = False) -> list[str]:
    """The lines that report `problems`, sorted by place: in `text` and `github` warnings of one
    kind are one line (unless `verbose`), at most MAX_SHOWN lines and then how many more (unless
    `verbose`); `json` is one object per problem, all of them. `quiet` leaves warnings out."""
    problems = sorted(p for p in problems if not (quiet and p.warning))
    if fmt == "json":
        return [json_line(p) for p in problems]
    entries = [(p, []) for p in problems] if verbose else collapsed(problems)
    shown = entries if verbose else entries[:MAX_SHOWN]
    line = github_line if fmt == "github" else text_line
    lines = [line(p, more) for p, more in shown]
    hidden = [q for p, more in entries[len(shown):] for q in (p, *more)]
    if hidden:
        warnings = sum(p.warning for p in hidden)
        parts = [_plural(n, f"more {word}") for n, word in ((len(hidden) - warnings, "error"), (warnings, "warning")) if n]
        lines.append(f"docmodels: {' and '.join(parts)} not shown; -v lists them all")
    return lines


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def printable(text: str) -> str:
    """`text` on one line that any terminal can show: line breaks and other control characters,
    and bytes of a file name that are not UTF-8 (kept as surrogates), written as escapes."""
    return "".join(c if c.isprintable() else f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF else ascii(c)[1:-1] for c in text)


class InputError(Exception):
    """Raised at the end of a stage that found problems; carries all of them, sorted."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, sorted(problems))))
        self.problems = sorted(problems)
