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
        return f"{self.loc}: {message}" if self.loc.path else f"docmodels: {message}"


class InputError(Exception):
    """Raised at the end of a stage that found problems; carries all of them, sorted."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, sorted(problems))))
        self.problems = sorted(problems)
