"""Settings: `[tool.docmodels]` in the nearest pyproject.toml, the overrides file, and command-line
arguments on top. Problems are reported like page problems, with file:line."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from . import names
from .errors import Problem
from .ir import SourceLoc

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KEYS = ("specs", "out", "roots", "targets", "wire_case", "nullable", "dialect", "overrides", "templates")
Target = Literal["dataclasses", "typeddicts", "jsonschema"]
TARGETS: tuple[Target, ...] = ("dataclasses", "typeddicts", "jsonschema")
Nullable = Literal["optional", "none"]
NULLABLE_SETTINGS: tuple[Nullable, ...] = ("optional", "none")
DIALECTS = ("typescript", "python", "go", "java", "csharp", "php", "ruby")
"""The names in `parse.dialects.DIALECTS` (a test keeps them equal): a run answered from the cache
does not import the parser."""


@dataclass(frozen=True, slots=True)
class FieldOverride:
    model_loc: SourceLoc
    """Where the overrides file names the model."""
    loc: SourceLoc
    """Where it names the field."""
    wire_name: str | None = None
    python_name: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    wire_case: names.WireCase = "as-is"
    nullable: Nullable = "optional"
    """`optional`: optional fields whose page does not say also accept null; `none`: they do not."""
    overrides: Mapping[tuple[str, str], FieldOverride] = field(default_factory=dict)
    """(model name, field doc name) -> names to use instead of the derived ones."""
    dialects: Mapping[str, str] = field(default_factory=dict)
    """Spec path (as in `Config.specs`) -> the dialect its pages are read in, told from the pages
    where absent; the key "" stands for every spec path."""


def find_pages(paths: Iterable[Path]) -> list[Path]:
    """The pages a PATH names: a file, or every `*.md` below a folder (README.md excepted)."""
    paths = list(paths)
    found = [Path(page) for path in paths for page in (_pages_below(str(path)) if path.is_dir() else [path])]
    return found if len(paths) == 1 else sorted(set(found))  # one folder's pages come in order


def _pages_below(folder: str) -> list[str]:
    """The `*.md` files below `folder`, in path order, not following links to folders (as
    `Path.rglob` does); `os.scandir` tells files from folders without a `stat` per page."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except PermissionError:
        return []
    pages = []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            pages.extend(_pages_below(entry.path))
        elif entry.name.endswith(".md") and entry.name.lower() != "readme.md" and entry.is_file():
            pages.append(entry.path)
    return pages


@dataclass(frozen=True, slots=True)
class Config:
    base: Path
    """The folder of the pyproject.toml (or the working folder): paths are shown relative to it."""
    specs: tuple[Path, ...]
    out: Path
    roots: tuple[str, ...]
    targets: tuple[Target, ...]
    settings: Settings
    templates: Path | None
    problems: tuple[Problem, ...] = ()
    """Bad settings (replaced by their defaults), reported together with the pages' problems."""


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load(cwd: Path, args: dict[str, Any]) -> Config:
    """The configuration for a run from `cwd`; `args` holds command-line values (None: not given)."""
    problems: list[Problem] = []
    pyproject = find_pyproject(cwd)
    table: dict[str, Any] = {}
    base = cwd
    if pyproject is not None:
        base = pyproject.parent
        table = _tool_table(pyproject, problems)
    display = "pyproject.toml"

    def where(key: str) -> SourceLoc:
        return SourceLoc(display, _line_of(pyproject, key) if pyproject else 0)

    for key in sorted(set(table) - set(KEYS)):
        problems.append(Problem(where(key), f"unknown key '{key}' in [tool.docmodels]; expected one of: {', '.join(KEYS)}"))

    def setting(key: str, default: Any, choices: tuple[str, ...] | None = None, many: bool = False) -> Any:
        # Command-line and API values are checked like the config's: the API takes any value.
        given = args.get(key) is not None
        if not given and key not in table:
            return default
        value = args[key] if given else table[key]
        if many and isinstance(value, (str, Path)):
            value = [value]
        if many and isinstance(value, tuple):
            value = list(value)
        items = value if many and isinstance(value, list) else [value]
        items = [str(v) if isinstance(v, Path) else v for v in items]
        if (many and not isinstance(value, list)) or not all(isinstance(v, str) and (choices is None or v in choices) for v in items):
            want = f"one of: {', '.join(choices)}" if choices else "text"
            loc = SourceLoc("", 0) if given else where(key)
            problems.append(Problem(loc, f"{key} = {value!r}; expected {'a list of ' if many else ''}{want}"))
            return default
        return items if many else items[0]

    from_config = {key: key not in args or args[key] is None for key in KEYS}

    def path(key: str, value: str) -> Path:
        # Paths from pyproject.toml are relative to it; paths from the command line to the working folder.
        return (base if from_config[key] else cwd) / value

    specs = [path("specs", p) for p in setting("specs", ["specs"], many=True)]
    out = path("out", setting("out", "generated"))
    roots = setting("roots", [], many=True)
    targets = setting("targets", list(TARGETS), TARGETS, many=True)
    wire_case = setting("wire_case", "as-is", names.WIRE_CASES)
    nullable = setting("nullable", "optional", NULLABLE_SETTINGS)
    dialects = _dialects(args.get("dialect") if args.get("dialect") is not None else table.get("dialect"), args.get("dialect") is not None, [path("specs", p) for p in setting("specs", ["specs"], many=True)], base, where("dialect"), problems)
    overrides_name = setting("overrides", None)
    templates_name = setting("templates", None)
    overrides: dict[tuple[str, str], FieldOverride] = {}
    if overrides_name:
        overrides = load_overrides(path("overrides", overrides_name), base, problems)
    return Config(
        base=base,
        specs=tuple(specs),
        out=out,
        roots=tuple(roots),
        targets=tuple(t for t in TARGETS if t in targets),
        settings=Settings(wire_case=wire_case, nullable=nullable, overrides=overrides, dialects=dialects),
        templates=path("templates", templates_name) if templates_name else None,
        problems=tuple(problems),
    )


def _dialects(value: Any, given: bool, specs: list[Path], base: Path, loc: SourceLoc, problems: list[Problem]) -> dict[str, str]:
    """The `dialect` setting: one dialect for every spec path, or a table of spec path -> dialect."""
    choices = ", ".join(DIALECTS)
    if value is None:
        return {}
    if isinstance(value, str):
        if value in DIALECTS:
            return {"": value}
        problems.append(Problem(SourceLoc("", 0) if given else loc, f"dialect = {value!r}; expected one of: {choices}, or a table of spec path = dialect"))
        return {}
    if not isinstance(value, dict):
        problems.append(Problem(loc, f"dialect = {value!r}; expected one of: {choices}, or a table of spec path = dialect"))
        return {}
    known = {str(p.resolve()): str(p) for p in specs}
    result = {}
    for key, dialect in value.items():
        spec = known.get(str((base / key).resolve()))
        if spec is None:
            problems.append(Problem(loc, f"dialect for '{key}', which is not in specs; expected one of: {', '.join(sorted(str(p.relative_to(base)) if p.is_relative_to(base) else str(p) for p in specs))}"))
        elif dialect not in DIALECTS:
            problems.append(Problem(loc, f"dialect {dialect!r} for '{key}'; expected one of: {choices}"))
        else:
            result[spec] = dialect
    return result


def _tool_table(pyproject: Path, problems: list[Problem]) -> dict[str, Any]:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.append(Problem(SourceLoc("pyproject.toml", 1), f"cannot read it: {exc}; expected valid TOML"))
        return {}
    table = data.get("tool", {}).get("docmodels", {})
    return table if isinstance(table, dict) else {}


def _line_of(pyproject: Path, key: str) -> int:
    """The line of `key = ...` in [tool.docmodels], for messages (tomllib keeps no positions)."""
    lines = pyproject.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "[tool.docmodels]"), 0)
    for i in range(start, len(lines)):
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[i]):
            return i + 1
    return start + 1


def load_overrides(path: Path, base: Path, problems: list[Problem]) -> dict[tuple[str, str], FieldOverride]:
    """Read an overrides file: `Model: {fieldDocName: {wire_name: x, python_name: y}}`."""
    import yaml  # type: ignore[import-untyped, unused-ignore]  # only projects with an overrides file pay for it

    try:
        display = path.relative_to(base).as_posix()
    except ValueError:
        display = path.as_posix()
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except OSError as exc:
        problems.append(Problem(SourceLoc(display, 1), f"cannot read the overrides file: {exc.strerror}; expected a YAML file"))
        return {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problems.append(Problem(SourceLoc(display, line), f"invalid YAML ({getattr(exc, 'problem', exc)}); expected Model: {{field: {{wire_name: ..., python_name: ...}}}}"))
        return {}
    overrides: dict[tuple[str, str], FieldOverride] = {}
    if node is None:
        return overrides

    def loc(n: yaml.Node) -> SourceLoc:
        return SourceLoc(display, n.start_mark.line + 1)

    def mapping(n: yaml.Node, what: str) -> list[tuple[yaml.Node, yaml.Node]]:
        if isinstance(n, yaml.MappingNode):
            return list(n.value)
        problems.append(Problem(loc(n), f"found {n.tag.rsplit(':', 1)[-1]}; expected a mapping of {what}"))
        return []

    for model_node, fields_node in mapping(node, "model names"):
        model_loc = loc(model_node)
        for field_node, names_node in mapping(fields_node, "field names"):
            entry: dict[str, str] = {}
            for key_node, value_node in mapping(names_node, "wire_name/python_name"):
                key, value = key_node.value, value_node.value
                if key not in ("wire_name", "python_name") or not isinstance(value_node, yaml.ScalarNode):
                    problems.append(Problem(loc(key_node), f"'{key}'; expected wire_name or python_name with a text value"))
                elif key == "python_name" and not names.is_free_identifier(value):
                    problems.append(Problem(loc(value_node), f"python_name '{value}' is not a usable identifier; expected an identifier that is not a keyword or reserved"))
                else:
                    entry[key] = value
            overrides[(str(model_node.value), str(field_node.value))] = FieldOverride(model_loc, loc(field_node), **entry)
    return overrides
