"""The overrides file: what to use instead of what a page says, each problem at its file:line.

    Model:                       # a definition's name as the page writes it, or a pattern
      fieldDocName:              # a field's doc name, or a pattern
        wire_name: x             # text (not under a field pattern: it names one field)
        python_name: y           # an identifier (likewise)
        nullable: true           # true or false
        required: false          # true or false
        type: list[Other]        # see TYPE_GRAMMAR
    Status:
      open: true                 # an enum's own entry: a boolean, where a field's is a mapping

Patterns are shell-style (`*`, `?`; `[` is an ordinary character): `"*": {"*_at": {type:
date-time}}`. Of the entries that match a field, an exact model name beats a pattern, then an
exact field name beats a pattern, then the earlier entry in the file; each setting is taken from
the best entry that sets it (`lookup`).

What is not an overrides file is refused before PyYAML works on it: anything but a regular file
(a FIFO would never end; it is not even opened), more than `MAX_BYTES`, bytes that are not UTF-8.
PyYAML's SafeLoader only composes nodes (for their lines; nothing is constructed), and refuses
anchors and aliases (no overrides file needs them, and an alias bomb would expand without end)
and nesting deeper than `MAX_DEPTH` (PyYAML composes recursively)."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import names
from .errors import Problem
from .ir import Array, Map, Primitive, Ref, SourceLoc, TypeExpr

MAX_BYTES = 2**20  # real overrides files are a few KiB
MAX_DEPTH = 16  # the format needs 4 (model, field, names, value)
SHAPE = "Model: {field: {wire_name: ..., python_name: ..., nullable: ..., required: ..., type: ...}}"
FIELD_KEYS = ("wire_name", "python_name", "nullable", "required", "type")
PRIMITIVES = ("string", "integer", "number", "boolean", "date", "date-time", "any", "binary")
TYPE_GRAMMAR = f"{', '.join(PRIMITIVES)}, a definition's name, list[T] or dict[str, T]"
_NAME = re.compile(r"[A-Za-z_][\w.]*")
_LIST = re.compile(r"list\[(.+)\]")
_DICT = re.compile(r"dict\[\s*str\s*,(.+)\]")
NO_LOC = SourceLoc("", 0)


@dataclass(frozen=True, slots=True)
class FieldOverride:
    model_loc: SourceLoc
    """Where the overrides file names the model."""
    loc: SourceLoc
    """Where it names the field."""
    wire_name: str | None = None
    python_name: str | None = None
    nullable: bool | None = None
    required: bool | None = None
    type: TypeExpr | None = None
    """With every reference by name (`Ref(name, "")`), resolved as the page's bare names are."""
    type_loc: SourceLoc = NO_LOC
    """Where `type:` is, for a name no page defines."""
    open: bool | None = None
    """An enum's own entry (keyed by field name ""): whether it accepts values it does not list."""


def is_pattern(name: str) -> bool:
    return "*" in name or "?" in name


def matches(pattern: str, name: str) -> bool:
    """Whether `name` is `pattern` or matches it (`*`, `?`; `[` is an ordinary character)."""
    return name == pattern or (is_pattern(pattern) and fnmatch.fnmatchcase(name, pattern.replace("[", "[[]")))


def lookup(overrides: dict[tuple[str, str], FieldOverride] | Any, model: str, field_name: str) -> FieldOverride | None:
    """The override of `model`'s field `field_name` ("" for the definition's own entry): each
    setting from the best entry that sets it (exact model, then exact field, then file order)."""
    exact = overrides.get((model, field_name))
    found = [
        ((is_pattern(m), is_pattern(f)), i, o)
        for i, ((m, f), o) in enumerate(overrides.items())
        if (is_pattern(m) or is_pattern(f)) and matches(m, model) and (f == field_name if not field_name else f and matches(f, field_name))
    ]
    if not found:
        return exact
    ranked = ([exact] if exact is not None else []) + [o for _, _, o in sorted(found, key=lambda x: x[:2])]
    settings = {k: next((v for o in ranked if (v := getattr(o, k)) is not None), None) for k in (*FIELD_KEYS, "open")}
    type_loc = next((o.type_loc for o in ranked if o.type is not None), NO_LOC)
    return FieldOverride(ranked[0].model_loc, ranked[0].loc, type_loc=type_loc, **settings)


def has_patterns(overrides: dict[tuple[str, str], FieldOverride] | Any) -> bool:
    return any(is_pattern(m) or is_pattern(f) for m, f in overrides)


def parse_type(text: str) -> TypeExpr | None:
    """A `type:` value (TYPE_GRAMMAR) as a type expression; None where it is none."""
    text = text.strip()
    if text in PRIMITIVES:
        return Primitive(text)  # type: ignore[arg-type]
    if inner := _LIST.fullmatch(text) or _DICT.fullmatch(text):
        item = parse_type(inner[1])
        return None if item is None else Array(item) if text.startswith("list") else Map(item)
    return Ref(text, "") if _NAME.fullmatch(text) else None


class _Refused(Exception):
    """YAML that overrides files do not use, at a line (1-based)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def load_overrides(path: Path, base: Path, problems: list[Problem]) -> dict[tuple[str, str], FieldOverride]:
    """Read an overrides file: `Model: {fieldDocName: {wire_name: x, python_name: y}}`."""
    try:
        display = path.relative_to(base).as_posix()
    except ValueError:
        display = path.as_posix()
    try:
        text = _read_text(path)
        node = _compose(text) if text.strip() else None
    except _Refused as exc:
        problems.append(Problem(SourceLoc(display, exc.line), exc.message))
        return {}
    if node is None:
        return {}
    return _entries(node, display, problems)


def _read_text(path: Path) -> str:
    """The file's text, refused without reading where it is not a regular UTF-8 file of at most
    MAX_BYTES; a byte-order mark is dropped."""
    try:
        status = os.stat(path)  # follows symlinks: what would be opened
        if not stat.S_ISREG(status.st_mode):
            raise _Refused(1, f"the overrides file is {_kind(status.st_mode)}; expected a regular file of YAML")
        # O_NONBLOCK: should it have been swapped for a FIFO since, opening it does not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise _Refused(1, "the overrides file is not a regular file; expected a regular file of YAML")
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _Refused(1, f"cannot read the overrides file: {exc.strerror or exc}; expected a YAML file") from None
    except ValueError:  # a NUL in the path (config.load refuses those before)
        raise _Refused(1, "cannot read the overrides file: its path contains a NUL character; expected a path without one") from None
    if len(data) > MAX_BYTES:
        raise _Refused(1, f"the overrides file is {max(status.st_size, len(data)) / 2**20:.1f} MiB; expected at most {MAX_BYTES // 2**20} MiB")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Refused(data[: exc.start].count(b"\n") + 1, f"byte {data[exc.start]:#x} is not UTF-8; expected a UTF-8 text file") from None


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _compose(text: str) -> Any:
    """The YAML node tree of `text` (a yaml.Node), or _Refused."""
    import yaml  # type: ignore[import-untyped, unused-ignore]  # only projects with an overrides file pay for it

    try:
        loader = _loader_class()(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, most controls)
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        raise _Refused(text[: exc.position].count("\n") + 1, f"character {code:#x} is not allowed in YAML; expected printable text") from None
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = ", ".join(str(part) for part in (exc.context, exc.problem) if part) or "unreadable"
        raise _Refused(mark.line + 1 if mark else 1, f"invalid YAML ({what}); expected {SHAPE}") from None
    except yaml.YAMLError as exc:
        raise _Refused(1, f"invalid YAML ({' '.join(str(exc).split())}); expected {SHAPE}") from None
    finally:
        loader.dispose()


@functools.cache
def _loader_class() -> Any:
    import yaml

    class Loader(yaml.SafeLoader):  # type: ignore[misc, name-defined, unused-ignore]
        """SafeLoader's composer, refusing anchors, aliases and deep nesting as it meets them."""

        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                raise _Refused(line, f"alias '*{event.anchor}'; expected plain YAML: overrides files use no anchors or aliases")
            if event.anchor is not None:
                raise _Refused(line, f"anchor '&{event.anchor}'; expected plain YAML: overrides files use no anchors or aliases")
            if self.depth >= MAX_DEPTH:
                raise _Refused(line, f"YAML nested more than {MAX_DEPTH} deep; expected {SHAPE}")
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return Loader


def _entries(node: Any, display: str, problems: list[Problem]) -> dict[tuple[str, str], FieldOverride]:
    import yaml

    def loc(n: yaml.Node) -> SourceLoc:
        return SourceLoc(display, n.start_mark.line + 1)

    def mapping(n: yaml.Node, what: str) -> list[tuple[yaml.Node, yaml.Node]]:
        """The (key, value) pairs of a mapping whose keys are text, each key once."""
        if not isinstance(n, yaml.MappingNode):
            problems.append(Problem(loc(n), f"found {n.tag.rsplit(':', 1)[-1]}; expected a mapping of {what}"))
            return []
        pairs, seen = [], dict[str, int]()
        for key, value in n.value:
            if not isinstance(key, yaml.ScalarNode):
                problems.append(Problem(loc(key), f"found {key.tag.rsplit(':', 1)[-1]} as a key; expected one of the {what}"))
            elif key.value in seen:
                problems.append(Problem(loc(key), f"'{key.value}' is already a key at line {seen[key.value]}; expected each of the {what} once"))
            else:
                seen[key.value] = key.start_mark.line + 1
                pairs.append((key, value))
        return pairs

    def boolean(n: yaml.Node, key: str) -> bool | None:
        if isinstance(n, yaml.ScalarNode) and n.tag == "tag:yaml.org,2002:bool":
            return n.value.lower() in ("true", "yes", "on")
        problems.append(Problem(loc(n), f"{key}: {n.value if isinstance(n, yaml.ScalarNode) else '...'}; expected {key}: true or {key}: false"))
        return None

    overrides: dict[tuple[str, str], FieldOverride] = {}
    for model_node, fields_node in mapping(node, "model names"):
        model_loc = loc(model_node)
        for field_node, names_node in mapping(fields_node, "field names"):
            if field_node.value == "open" and isinstance(names_node, yaml.ScalarNode):  # the enum's own entry
                if (is_open := boolean(names_node, "open")) is not None:
                    overrides[(str(model_node.value), "")] = FieldOverride(model_loc, loc(field_node), open=is_open)
                continue
            pattern = is_pattern(str(field_node.value))
            entry: dict[str, Any] = {}
            for key_node, value_node in mapping(names_node, "settings of a field (" + ", ".join(FIELD_KEYS) + ")"):
                key, value = key_node.value, value_node.value
                if key not in FIELD_KEYS:
                    problems.append(Problem(loc(key_node), f"'{key}'; expected one of: {', '.join(FIELD_KEYS)}"))
                elif not isinstance(value_node, yaml.ScalarNode) or value_node.tag == "tag:yaml.org,2002:null":
                    what = "true or false" if key in ("nullable", "required") else TYPE_GRAMMAR if key == "type" else "a text value"
                    problems.append(Problem(loc(key_node), f"'{key}'; expected {'wire_name or python_name with a text value' if key in ('wire_name', 'python_name') else key + ': ' + what}"))
                elif key in ("wire_name", "python_name") and pattern:
                    problems.append(Problem(loc(key_node), f"{key} for the pattern '{field_node.value}'; expected it for one field, named exactly"))
                elif key == "python_name" and not names.is_free_identifier(value):
                    problems.append(Problem(loc(value_node), f"python_name '{value}' is not a usable identifier; expected an identifier that is not a keyword or reserved"))
                elif key in ("nullable", "required"):
                    if (flag := boolean(value_node, key)) is not None:
                        entry[key] = flag
                elif key == "type":
                    if (type_ := parse_type(value)) is None:
                        problems.append(Problem(loc(value_node), f"type '{value}'; expected {TYPE_GRAMMAR}"))
                    else:
                        entry["type"], entry["type_loc"] = type_, loc(value_node)
                else:
                    entry[key] = value
            overrides[(str(model_node.value), str(field_node.value))] = FieldOverride(model_loc, loc(field_node), **entry)
    return overrides
