"""Problems found in the input. Bad input is an expected outcome: it is collected, not thrown at users."""

from __future__ import annotations

from dataclasses import dataclass

from .ir import SourceLoc


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with the input, printed as `file:line: message`."""

    loc: SourceLoc
    message: str

    def __str__(self) -> str:
        # Problems with no place in a page (a bad command-line argument) carry an empty path.
        return f"{self.loc}: {self.message}" if self.loc.path else f"docmodels: {self.message}"


class InputError(Exception):
    """Raised at the end of a stage that found problems; carries all of them, sorted."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, sorted(problems))))
        self.problems = sorted(problems)
