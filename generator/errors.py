"""Problems found in the input. Bad input is an expected outcome: it is collected, not thrown at users."""

from __future__ import annotations

from dataclasses import dataclass

from .ir import SourceLoc


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with the input, printed as `file:line: message`."""

    loc: SourceLoc
    message: str
    warning: bool = False
    """A docs inconsistency docmodels works around (reported, not fatal)."""

    def __str__(self) -> str:
        message = f"warning: {self.message}" if self.warning else self.message
        # Problems with no place in a page (a bad command-line argument) carry an empty path.
        text = f"{self.loc}: {message}" if self.loc.path else f"docmodels: {message}"
        return text if text.isprintable() else printable(text)


def printable(text: str) -> str:
    """`text` on one line that any terminal can show: line breaks and other control characters,
    and bytes of a file name that are not UTF-8 (kept as surrogates), written as escapes."""
    return "".join(c if c.isprintable() else f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF else ascii(c)[1:-1] for c in text)


class InputError(Exception):
    """Raised at the end of a stage that found problems; carries all of them, sorted."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, sorted(problems))))
        self.problems = sorted(problems)
