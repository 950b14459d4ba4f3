"""docmodels: Python dataclasses, TypedDicts and JSON Schema from markdown model docs.

For Makefiles, nox/tox sessions and CI scripts:

    import docmodels
    result = docmodels.generate("path/to/project")      # reads its [tool.docmodels]
    result.changes.to_write, result.changes.extra        # what was written, what was removed
    stale = docmodels.check("path/to/project", out="build/models").changes   # falsy when up to date
    results = docmodels.generate_all("path/to/project")  # one Result per [[tool.docmodels.output]]

Keyword settings are the `[tool.docmodels]` keys (specs, out, roots, targets, wire_case, nullable,
dialect, overrides, templates, layout, runtime) and win over the config; paths in them are relative to the project folder.
Both raise `docmodels.InputError` (its `.problems` print as `file:line: ...`) on bad input, having
written nothing.

The import package is `docmodels`; its source folder in the repository is `generator/` (the wheel
and the editable install map one to the other, see pyproject.toml and hatch_build.py).
"""

from __future__ import annotations

# Nothing is imported here at run time: `docmodels` starts by importing this package, and a
# Ctrl-C that early must still end the command without a traceback (see cli.main).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from .api import Result
    from .errors import InputError

__version__ = "0.1.0"  # the release: pyproject.toml reads it from here (hatch version)
__all__ = ["InputError", "check", "check_all", "generate", "generate_all"]


def generate(project: str | Path = ".", *, force: bool = False, use_cache: bool = True, **settings: Any) -> Result:
    """Bring the project's output folder up to date; see `docmodels generate`."""
    from pathlib import Path

    from . import api

    return api.generate(api.load_config(Path(project), settings), force=force, use_cache=use_cache)


def check(project: str | Path = ".", *, use_cache: bool = True, **settings: Any) -> Result:
    """Compare the project's output folder with what would be generated; writes nothing."""
    from pathlib import Path

    from . import api

    return api.check(api.load_config(Path(project), settings), use_cache=use_cache)


def generate_all(project: str | Path = ".", *, force: bool = False, use_cache: bool = True, **settings: Any) -> list[Result]:
    """`generate` for each output of the project (`[[tool.docmodels.output]]`), in order. Bad
    settings in any of them raise InputError before any output is written."""
    from pathlib import Path

    from . import api

    configs = api.settled(api.load_configs(Path(project), settings))
    return [api.generate(config, force=force, use_cache=use_cache) for config in configs]


def check_all(project: str | Path = ".", *, use_cache: bool = True, **settings: Any) -> list[Result]:
    """`check` for each output of the project, in order."""
    from pathlib import Path

    from . import api

    return [api.check(config, use_cache=use_cache) for config in api.settled(api.load_configs(Path(project), settings))]


def __getattr__(name: str) -> Any:
    if name == "InputError":  # imported on first use: `docmodels --help` stays fast
        from .errors import InputError

        return InputError
    raise AttributeError(name)
