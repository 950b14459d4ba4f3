"""The overrides file: per-field wire and Python names, `Model: {fieldDocName: {wire_name: x,
python_name: y}}`, each problem at its file:line.

What is not an overrides file is refused before PyYAML works on it: anything but a regular file
(a FIFO would never end; it is not even opened), more than `MAX_BYTES`, bytes that are not UTF-8.
PyYAML's SafeLoader only composes nodes (for their lines; nothing is constructed), and refuses
anchors and aliases (no overrides file needs them, and an alias bomb would expand without end)
and nesting deeper than `MAX_DEPTH` (PyYAML composes recursively)."""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import names
from .errors import Problem
from .ir import SourceLoc

MAX_BYTES = 2**20  # real overrides files are a few KiB
MAX_DEPTH = 16  # the format needs 4 (model, field, names, value)
SHAPE = "Model: {field: {wire_name: ..., python_name: ...}}"


@dataclass(frozen=True, slots=True)
class FieldOverride:
    model_loc: SourceLoc
    """Where the overrides file names the model."""
    loc: SourceLoc
    """Where it names the field."""
    wire_name: str | None = None
    python_name: str | None = None


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

    overrides: dict[tuple[str, str], FieldOverride] = {}
    for model_node, fields_node in mapping(node, "model names"):
        model_loc = loc(model_node)
        for field_node, names_node in mapping(fields_node, "field names"):
            entry: dict[str, str] = {}
            for key_node, value_node in mapping(names_node, "wire_name/python_name"):
                key, value = key_node.value, value_node.value
                if key not in ("wire_name", "python_name") or not isinstance(value_node, yaml.ScalarNode) or value_node.tag == "tag:yaml.org,2002:null":
                    problems.append(Problem(loc(key_node), f"'{key}'; expected wire_name or python_name with a text value"))
                elif key == "python_name" and not names.is_free_identifier(value):
                    problems.append(Problem(loc(value_node), f"python_name '{value}' is not a usable identifier; expected an identifier that is not a keyword or reserved"))
                else:
                    entry[key] = value
            overrides[(str(model_node.value), str(field_node.value))] = FieldOverride(model_loc, loc(field_node), **entry)
    return overrides
