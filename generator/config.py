"""Settings: `[tool.docmodels]` in the nearest pyproject.toml, the overrides file, and command-line
(or API) values on top. Problems are reported like page problems, with file:line (`docmodels: ...`
for values not from a file). A bad value is a problem, never replaced by a default in silence."""

from __future__ import annotations

import dataclasses
import keyword
import os
import re
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from . import names
from .errors import Problem
from .ir import SourceLoc
from .overrides import FieldOverride, load_overrides

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KEYS = ("specs", "out", "roots", "targets", "wire_case", "nullable", "open_enums", "dialect", "overrides", "templates", "layout", "runtime")
Target = Literal["dataclasses", "typeddicts", "jsonschema", "openapi"]
TARGETS: tuple[Target, ...] = ("dataclasses", "typeddicts", "jsonschema", "openapi")
DEFAULT_TARGETS: tuple[Target, ...] = ("dataclasses", "typeddicts", "jsonschema")
"""What a run makes where `targets` is not set; `openapi` only when asked for."""
Nullable = Literal["optional", "none", "all"]
NULLABLE_SETTINGS: tuple[Nullable, ...] = ("optional", "none", "all")
OpenEnums = Literal["page", "all", "none"]
OPEN_ENUMS_SETTINGS: tuple[OpenEnums, ...] = ("page", "all", "none")
DIALECTS = ("typescript", "python", "go", "java", "csharp", "php", "ruby")
"""The names in `parse.dialects.DIALECTS` (a test keeps them equal): a run answered from the cache
does not import the parser."""
Layout = Literal["module", "package"]
LAYOUTS: tuple[Layout, ...] = ("module", "package")
"""`module`: each Python target is one module (`models.py`); `package`: a package of one module per
definition, imported on first use (`models/`)."""
_MODULE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
NO_LOC = SourceLoc("", 0)
"""Where a command-line or API value is: printed as `docmodels: ...`."""
MAX_PATH_CHARS = 1024
MAX_NAME_BYTES = 255  # of one file or folder name: what file systems allow

__all__ = ["Config", "FieldOverride", "Settings", "find_pages", "find_pyproject", "load", "load_overrides"]


@dataclass(frozen=True, slots=True)
class Settings:
    wire_case: names.WireCase = "as-is"
    nullable: Nullable = "optional"
    """`optional`: optional fields whose page does not say also accept null; `none`: they do not;
    `all`: every field accepts null."""
    overrides: Mapping[tuple[str, str], FieldOverride] = field(default_factory=dict)
    """(model name or pattern, field doc name or pattern) -> what to use instead of what the page
    says; ("Enum", "") for an enum's own entry (`open`). See `overrides.lookup`."""
    open_enums: OpenEnums = "page"
    """`page`: an enum is open where its page says so; `all`: every enum accepts values it does not
    list; `none`: none does."""
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
    layout: Layout = "module"
    runtime: str | None = None
    """The importable module the dataclasses take their helpers from (`UNSET`, `ValidationError`,
    the converters), e.g. another generated package's `_runtime`; None: a `_runtime.py` of their own."""
    problems: tuple[Problem, ...] = ()
    """Bad settings, reported together with the pages' problems (the run writes nothing). A bad
    value is read as its default, or as nothing where that would read pages the user did not
    name: bad specs (or a bad [tool.docmodels] table) mean no specs and no roots."""
    warnings: tuple[Problem, ...] = ()
    """What the project's pyproject.toml lacks for the generated code (typing_extensions where its
    requires-python admits 3.10): reported with the run's warnings, never fatal."""


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


OUTPUTS = "output"
"""The key of `[[tool.docmodels.output]]`: several outputs, each a table of the same keys, which
take the keys of [tool.docmodels] as their defaults."""


def load(cwd: Path, args: Mapping[str, Any]) -> Config:
    """The configuration for a run from `cwd` of a project with one output, or of the output that
    `args["out"]` names; `args` holds command-line or API values (None: not given), checked like
    the config's (the API takes any value)."""
    configs = load_all(cwd, args)
    if len(configs) == 1:
        return configs[0]
    shown = ", ".join(_shown(c.out.relative_to(c.base) if c.out.is_relative_to(c.base) else c.out) for c in configs)
    problem = Problem(NO_LOC, f"the project has {len(configs)} outputs ([[tool.docmodels.output]]); expected out (-o) naming one of them ({shown}); docmodels.generate_all and check_all run every one")
    return dataclasses.replace(configs[0], problems=(*configs[0].problems, problem))


def load_all(cwd: Path, args: Mapping[str, Any]) -> list[Config]:
    """The configuration of each output of the project in `cwd`: one, or one per
    `[[tool.docmodels.output]]` table. Pages named in `args` make one run with the settings of
    [tool.docmodels] alone; an `out` in `args` picks the output of that folder."""
    problems = [Problem(NO_LOC, f"unknown setting '{key}'; expected one of: {', '.join(KEYS)}") for key in sorted(set(args) - set(KEYS))]
    if _not_a_folder(cwd) is not None:  # an API caller's project (not a pyproject.toml above it)
        problems.append(Problem(NO_LOC, f"project {_shown(cwd)} is not a folder; expected the folder of a project"))
        return [Config(cwd, (), cwd / "generated", (), DEFAULT_TARGETS, Settings(), None, problems=tuple(problems))]
    pyproject = find_pyproject(cwd)
    base, lines = cwd, list[str]()
    table: dict[str, Any] | None = {}  # None: pyproject.toml has no usable [tool.docmodels] (a problem)
    if pyproject is not None:
        base = pyproject.parent
        lines, table = _tool_table(pyproject, problems)
    top = {k: v for k, v in (table or {}).items() if k != OUTPUTS}
    outputs = (table or {}).get(OUTPUTS)
    if outputs is None or args.get("specs") is not None:
        return [_load_one(cwd, args, base, lines, table and top, {}, 0, problems)]
    starts = [i for i, line in enumerate(lines) if line.strip().replace(" ", "") == "[[tool.docmodels.output]]"]
    if not isinstance(outputs, list) or not outputs or not all(isinstance(o, dict) for o in outputs):
        at = SourceLoc("pyproject.toml", starts[0] + 1 if starts else _line_of(lines, OUTPUTS))
        problems.append(Problem(at, f"{OUTPUTS} = {_shown(outputs)}; expected one or more [[tool.docmodels.output]] tables"))
        return [_load_one(cwd, args, base, lines, None, {}, 0, problems)]
    configs = [_load_one(cwd, args, base, lines, top, entry, starts[i] if i < len(starts) else 0, list(problems)) for i, entry in enumerate(outputs)]
    if args.get("out") is not None:  # the output of that folder, with the folder as configured
        wanted = (cwd / str(args["out"])).resolve()
        own = [_load_one(cwd, {**args, "out": None}, base, lines, top, entry, starts[i] if i < len(starts) else 0, []).out for i, entry in enumerate(outputs)]
        chosen = [c for c, out in zip(configs, own) if out.resolve() == wanted]
        if chosen:
            return chosen
        listed = ", ".join(_shown(o.relative_to(base) if o.is_relative_to(base) else o) for o in own)
        problem = Problem(NO_LOC, f"out = {_shown(args['out'])} is none of the project's outputs; expected one of: {listed}")
        return [dataclasses.replace(configs[0], problems=(*configs[0].problems, problem))]
    for i, config in enumerate(configs):
        for other in configs[:i]:
            if config.out.resolve().is_relative_to(other.out.resolve()) or other.out.resolve().is_relative_to(config.out.resolve()):
                at = SourceLoc("pyproject.toml", _line_of(lines, "out", starts[i] if i < len(starts) else 0))
                clash = Problem(at, f"out = {_shown(config.out.relative_to(base) if config.out.is_relative_to(base) else config.out)} overlaps the out of an earlier output; expected a folder of its own")
                configs[i] = dataclasses.replace(config, problems=(*config.problems, clash))
                break
    return configs


def _load_one(cwd: Path, args: Mapping[str, Any], base: Path, lines: list[str], table: dict[str, Any] | None, entry: dict[str, Any], start: int, problems: list[Problem]) -> Config:
    """One output's configuration: `entry` (one [[tool.docmodels.output]] table, whose header is on
    line `start` + 1) over `table` ([tool.docmodels]; None: unusable, a problem)."""
    values = _Values(args, {**(table or {}), **entry}, lines, problems, entry, start)
    where = "[[tool.docmodels.output]]" if entry else "[tool.docmodels]"
    for key in sorted(set(entry or table or {}) - set(KEYS)):
        problems.append(Problem(values.loc(key), f"unknown key '{key}' in {where}; expected one of: {', '.join(KEYS)}"))
    if entry and table is not None:
        for key in sorted(set(table) - set(KEYS)):
            problems.append(Problem(values.loc(key), f"unknown key '{key}' in [tool.docmodels]; expected one of: {', '.join(KEYS)}"))

    def path(key: str, value: str | None, what: str) -> Path | None:
        # Paths from pyproject.toml are relative to it; paths from the command line to the working folder.
        return None if value is None else values.path(key, value, cwd if values.given(key) else base, what)

    # Where the table itself is unusable, or the specs are, no pages are read (not the default ones).
    spec_names = values.texts("specs", ["specs"] if table is not None else [], empty="a list of at least one page or folder")
    specs = [path("specs", name, "the path of a page or folder") for name in spec_names or []]
    roots = values.texts("roots", [])
    if spec_names is None or None in specs:
        specs, roots = [], []
    targets = values.texts("targets", list(DEFAULT_TARGETS), TARGETS, empty=f"a list of at least one of: {', '.join(TARGETS)}")
    out = path("out", values.text("out", "generated"), 'the path of a folder ("." for the project folder)')
    if out is not None and (wrong_out := _not_a_folder(out, missing_ok=True)):
        values.bad("out", f"{_shown(values.raw('out'))}, which {wrong_out}", "a folder (docmodels makes it where there is none)")
        out = None
    templates = path("templates", values.text("templates", None), "the path of a folder of templates")
    if templates is not None and (wrong_templates := _not_a_folder(templates)):
        values.bad("templates", f"{_shown(values.raw('templates'))}, which {wrong_templates}", "a folder of templates")
        templates = None
    layout = cast(Layout, values.text("layout", "module", LAYOUTS) or "module")
    runtime = values.text("runtime", None)
    if runtime is not None and (not _MODULE_NAME.fullmatch(runtime) or any(keyword.iskeyword(part) for part in runtime.split("."))):
        values.bad("runtime", _shown(runtime), "the dotted name of an importable module, such as 'myapp.models._runtime'")
        runtime = None
    overrides_file = path("overrides", values.text("overrides", None), "the path of a YAML file")
    dialects = _dialects(values, [p for p in specs if p is not None], base)
    settings = Settings(
        wire_case=cast(names.WireCase, values.text("wire_case", "as-is", names.WIRE_CASES) or "as-is"),
        nullable=cast(Nullable, values.text("nullable", "optional", NULLABLE_SETTINGS) or "optional"),
        open_enums=cast(OpenEnums, values.text("open_enums", "page", OPEN_ENUMS_SETTINGS) or "page"),
        overrides=load_overrides(overrides_file, base, problems) if overrides_file is not None else {},
        dialects=dialects,
    )
    return Config(
        base=base,
        specs=tuple(p for p in specs if p is not None),
        out=out or base / "generated",
        roots=tuple(roots or ()),
        targets=tuple(t for t in TARGETS if t in (targets or DEFAULT_TARGETS)),
        settings=settings,
        templates=templates,
        layout=layout,
        runtime=runtime,
        problems=tuple(problems),
        warnings=tuple(_typing_extensions_warning(lines, targets or DEFAULT_TARGETS)),
    )


def _typing_extensions_warning(lines: list[str], targets: Iterable[str]) -> list[Problem]:
    """One warning where typeddicts.py is made for a project whose [project] requires-python admits
    Python 3.10 (there the generated module takes NotRequired from typing_extensions, behind a
    version check) and whose dependencies (or extras) do not name typing_extensions."""
    if "typeddicts" not in targets or not any("requires-python" in line for line in lines):
        return []
    try:
        project = tomllib.loads("\n".join(lines)).get("project")
    except tomllib.TOMLDecodeError:
        return []
    if not isinstance(project, dict) or not isinstance(spec := project.get("requires-python"), str) or not admits_python_310(spec):
        return []
    dynamic, extras = project.get("dynamic", []), project.get("optional-dependencies", {})
    if not isinstance(dynamic, list) or "dependencies" in dynamic or "optional-dependencies" in dynamic:
        return []  # not written here: nothing to tell
    dependencies = [project.get("dependencies", []), *(extras.values() if isinstance(extras, dict) else ())]
    if any(isinstance(d, str) and re.match(r"\s*typing[-_.]extensions(?![\w.-])", d, re.I) for group in dependencies if isinstance(group, list) for d in group):
        return []
    start = next((i for i, line in enumerate(lines) if line.strip() == "[project]"), 0)
    line = next((i + 1 for i in range(start, len(lines)) if re.match(r"\s*requires-python\s*=", lines[i])), start + 1)
    message = (
        f"requires-python = \"{spec}\" admits Python 3.10, where the generated typeddicts.py imports NotRequired from typing_extensions; "
        "expected typing_extensions in the project's dependencies (\"typing_extensions>=4.0; python_version < '3.11'\")"
    )
    return [Problem(SourceLoc("pyproject.toml", line), message, warning=True, kind="typing-extensions")]


def admits_python_310(spec: str) -> bool:
    """Whether a requires-python specifier (`>=3.10`, `>=3.9,<3.12`, `~=3.8`, `==3.10.*`) lets some
    Python 3.10.x in; an unreadable one admits it (the warning is then the safe side)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        specifiers = SpecifierSet(spec)
    except InvalidSpecifier:
        return True
    return any(specifiers.contains(f"3.10.{patch}", prereleases=True) for patch in range(100))


class _Values:
    """Settings as given on the command line or to the API (`args`), else in [tool.docmodels]
    (`table`). Each is checked as it is read; a bad one is a problem at its line, read as None."""

    def __init__(self, args: Mapping[str, Any], table: Mapping[str, Any], lines: list[str], problems: list[Problem], entry: Mapping[str, Any] = {}, start: int = 0) -> None:
        self.args, self.table, self.lines, self.problems = args, table, lines, problems
        self.entry, self.start = entry, start
        """The keys of the output's own table, and the index of its header line."""

    def given(self, key: str) -> bool:
        return self.args.get(key) is not None

    def raw(self, key: str) -> Any:
        """The value as given (None: not set)."""
        return self.args[key] if self.given(key) else self.table.get(key)

    def loc(self, key: str) -> SourceLoc:
        return NO_LOC if self.given(key) else SourceLoc("pyproject.toml", _line_of(self.lines, key, self.start if key in self.entry else None))

    def bad(self, key: str, found: str, expected: str) -> None:
        self.problems.append(Problem(self.loc(key), f"{key} = {found}; expected {expected}"))

    def text(self, key: str, default: str | None, choices: tuple[str, ...] | None = None) -> str | None:
        """One text value (a Path counts), `default` when not set."""
        value = self.raw(key)
        if value is None:
            return default
        value = str(value) if isinstance(value, Path) else value
        if isinstance(value, str) and (choices is None or value in choices):
            return value
        self.bad(key, _shown(value), f"one of: {', '.join(choices)}" if choices else "text")
        return None

    def texts(self, key: str, default: list[str], choices: tuple[str, ...] | None = None, empty: str | None = None) -> list[str] | None:
        """A list of text values (one text value counts as a list of it), `default` when not set.
        `empty`: what is expected instead of an empty list (None: an empty list is fine)."""
        value = self.raw(key)
        if value is None:
            return default
        given = [value] if isinstance(value, (str, Path)) else list(value) if isinstance(value, (list, tuple)) else None
        items = [str(v) if isinstance(v, Path) else v for v in given or ()]
        if given is None or not all(isinstance(v, str) and (choices is None or v in choices) for v in items):
            self.bad(key, _shown(value), f"a list of {'one of: ' + ', '.join(choices) if choices else 'text'}")
            return None
        if not items and empty is not None:
            self.bad(key, _shown(value), empty)
            return None
        return items

    def path(self, key: str, value: str, folder: Path, what: str) -> Path | None:
        """`folder / value`, or None where `value` cannot be a path (`what`: the path expected)."""
        wrong = _bad_path(value)
        if wrong is None:
            return folder / value
        found, expected = wrong
        expected = what if value == "" else expected
        whole = self.raw(key)
        self.bad(key, f"{_shown(whole)}, where {_shown(value)} is {found}" if isinstance(whole, (list, tuple)) else f"{_shown(value)}, {found}", expected)
        return None


def _bad_path(value: str) -> tuple[str, str] | None:
    """What makes `value` unusable as a path (the OS would refuse it, or it says nothing), and
    what is expected instead; None where it is fine."""
    if value == "":
        return "an empty path", "a path"
    if "\0" in value:
        return "a path with a NUL character", "a path without NUL characters"
    if len(value) > MAX_PATH_CHARS:
        return f"a path of {len(value):,} characters", f"a path of at most {MAX_PATH_CHARS:,} characters"
    try:
        encoded = os.fsencode(value)
    except UnicodeEncodeError:
        return "a path with a character no file name can hold (a lone surrogate)", "a path of ordinary text"
    longest = max(len(name) for name in re.split(rb"[/\\]", encoded))
    if longest > MAX_NAME_BYTES:
        return f"a path with a name of {longest:,} bytes", f"file and folder names of at most {MAX_NAME_BYTES} bytes"
    return None


def _not_a_folder(path: Path, missing_ok: bool = False) -> str | None:
    """What makes `path` not a folder ("is a file", ...), None where it is one."""
    try:
        mode = os.stat(path).st_mode
    except ValueError:  # a NUL in it
        return "is not a path"
    except FileNotFoundError:
        return None if missing_ok else "does not exist"
    except NotADirectoryError:
        return "is inside a file"
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    return None if stat.S_ISDIR(mode) else "is a file" if stat.S_ISREG(mode) else "is not a folder"


def _shown(value: Any) -> str:
    """`value` for a message: its repr, cut short."""
    text = repr(str(value) if isinstance(value, Path) else value)
    return text if len(text) <= 80 else f"{text[:60]}...{text[-12:]}"


def _dialects(values: _Values, specs: list[Path], base: Path) -> dict[str, str]:
    """The `dialect` setting: one dialect for every spec path, or a table of spec path -> dialect."""
    value, choices = values.raw("dialect"), ", ".join(DIALECTS)
    if value is None:
        return {}
    if isinstance(value, str) and value in DIALECTS:
        return {"": value}
    if not isinstance(value, dict):
        values.bad("dialect", _shown(value), f"one of: {choices}, or a table of spec path = dialect")
        return {}
    known = {str(p.resolve()): str(p) for p in specs}
    result = {}
    for key, dialect in value.items():
        if not isinstance(key, str) or (wrong := _bad_path(key)):
            found, expected = wrong if isinstance(key, str) and wrong else ("not text", "text")
            values.bad("dialect", f"{{{_shown(key)} = ...}}, a key that is {found}", f"spec paths, {expected}")
            continue
        spec = known.get(str((base / key).resolve()))
        if spec is None:
            listed = ", ".join(sorted(str(p.relative_to(base)) if p.is_relative_to(base) else str(p) for p in specs))
            values.problems.append(Problem(values.loc("dialect"), f"dialect for '{key}', which is not in specs; expected one of: {listed}"))
        elif dialect not in DIALECTS:
            values.problems.append(Problem(values.loc("dialect"), f"dialect {dialect!r} for '{key}'; expected one of: {choices}"))
        else:
            result[spec] = dialect
    return result


def _tool_table(pyproject: Path, problems: list[Problem]) -> tuple[list[str], dict[str, Any] | None]:
    """The lines of pyproject.toml and its [tool.docmodels] table ({} where it has none), or None
    for the table where the file or the table cannot be read (a problem)."""

    def bad(line: int, message: str) -> tuple[list[str], None]:
        problems.append(Problem(SourceLoc("pyproject.toml", line), message))
        return lines, None

    lines: list[str] = []
    try:
        data = pyproject.read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        return bad(1, f"cannot read it: {exc.strerror}; expected a TOML file")
    except UnicodeDecodeError as exc:
        return bad(data[: exc.start].count(b"\n") + 1, f"byte {data[exc.start]:#x} is not UTF-8; expected a UTF-8 TOML file")
    lines = text.splitlines()
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason, at = re.match(r"(.*?)\s*(?:\(at line (\d+), column \d+\)|\(at end of document\))?$", str(exc), re.S).groups()  # type: ignore[union-attr]
        return bad(int(at) if at else max(len(lines), 1), f"invalid TOML ({reason}); expected valid TOML")
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        return bad(_line_of_tool(lines), f"tool = {_shown(tool)} is {_toml_type(tool)}; expected a table ([tool] with [tool.docmodels] in it)")
    table = tool.get("docmodels", {})
    if not isinstance(table, dict):
        return bad(_line_of_tool(lines), f"tool.docmodels = {_shown(table)} is {_toml_type(table)}; expected a table ([tool.docmodels])")
    return lines, table


def _toml_type(value: Any) -> str:
    return {str: "a string", bool: "a boolean", int: "an integer", float: "a float", list: "an array"}.get(type(value), "a date or time")


def _line_of(lines: list[str], key: str, start: int | None = None) -> int:
    """The line of `key = ...` in the table whose header is line `start` + 1 (None: in
    [tool.docmodels]), for messages (tomllib keeps no positions); else the header's line."""
    if start is None:
        start = next((i for i, line in enumerate(lines) if line.strip() == "[tool.docmodels]"), 0)
    for i in range(start, len(lines)):
        if i > start and _TABLE_HEADER.match(lines[i]):
            break
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[i]):
            return i + 1
    return start + 1


_TABLE_HEADER = re.compile(r"\s*\[\[?\s*[A-Za-z0-9_\"'-]")


def _line_of_tool(lines: list[str]) -> int:
    """The line that sets `tool` or `tool.docmodels` to a value (`tool = 5`, `docmodels = "x"`
    under [tool]), else 1."""
    header = ""
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text.startswith("["):
            header = text.strip("[] ").replace(" ", "")
        elif key := re.match(r"([\w.\"' -]+?)\s*=", text):
            if ".".join(filter(None, [header, key.group(1).replace(" ", "").replace('"', "")])) in ("tool", "tool.docmodels"):
                return number
    return 1
