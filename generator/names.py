"""The one place where a name from a page becomes a wire name or a Python name."""

from __future__ import annotations

import functools
import keyword
import re
import unicodedata
from typing import Literal

WireCase = Literal["as-is", "snake", "camel"]
WIRE_CASES: tuple[WireCase, ...] = ("as-is", "snake", "camel")

# Names generated classes use for themselves or in their annotations; a field or class called so
# gets a trailing underscore, so that it shadows nothing the generated code refers to.
RESERVED_FIELD_NAMES = frozenset(
    {"from_dict", "to_dict", "additional_properties", "rt", "dataclasses", "enum", "str", "int", "float", "bool", "list", "dict", "datetime"}
)
RESERVED_CLASS_NAMES = frozenset(
    {"Any", "Enum", "Literal", "NotRequired", "TypeAlias", "TypedDict", "Union", "Mapping", "UNSET", "TYPE_CHECKING"}
)

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^0-9A-Za-z]+")


@functools.cache  # the same few hundred field names recur on every page
def words(name: str) -> tuple[str, ...]:
    """`autoStart` -> (auto, Start); `HTTPError` -> (HTTP, Error); `job_type` -> (job, type)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return tuple(w for part in _NOT_WORD.split(ascii_name) for w in _WORD_BOUNDARY.split(part) if w)


@functools.cache
def snake_case(name: str) -> str:
    return "_".join(w.lower() for w in words(name))


def camel_case(name: str) -> str:
    parts = words(name)
    if not parts:
        return ""
    return parts[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in parts[1:])


def wire_name(doc_name: str, case: WireCase) -> str:
    """The JSON key for a field the page calls `doc_name`."""
    if case == "snake":
        return snake_case(doc_name) or doc_name
    if case == "camel":
        return camel_case(doc_name) or doc_name
    return doc_name


def python_identifier(name: str) -> str:
    """A snake_case identifier that is not a keyword: `autoStart` -> `auto_start`, `from` -> `from_`."""
    ident = snake_case(name) or "field"
    if ident[0].isdigit():
        ident = "f_" + ident
    return ident if is_free_identifier(ident) else ident + "_"


def is_free_identifier(name: str) -> bool:
    """Whether `name` can be a field of a generated class as it is."""
    return name.isidentifier() and not keyword.iskeyword(name) and name not in RESERVED_FIELD_NAMES


def class_name(name: str) -> str:
    """A PascalCase class name: `DetailedJobOut` stays, `job out` -> `JobOut`, `2fa` -> `M2fa`."""
    parts = words(name)
    ident = "".join(w[:1].upper() + w[1:] for w in parts) or "Model"
    if ident[0].isdigit():
        ident = "M" + ident
    if keyword.iskeyword(ident) or ident in RESERVED_CLASS_NAMES:  # None, True, Any, ...
        ident += "_"
    return ident


def enum_member_name(value: str | int) -> str:
    """An UPPER_SNAKE member name for an enum value: `open-mistral-7b` -> `OPEN_MISTRAL_7B`."""
    ident = snake_case(str(value)).upper()
    if not ident:
        ident = "VALUE"
    if ident[0].isdigit():
        ident = "V_" + ident
    if keyword.iskeyword(ident):
        ident += "_"
    return ident


def unique(names: list[str]) -> list[str]:
    """Make names distinct, in order, by numbering later duplicates: [a, a, a_2] -> [a, a_3, a_2]."""
    taken = set(names)
    seen: set[str] = set()
    result = []
    for name in names:
        if name in seen:
            n = 2
            while f"{name}_{n}" in taken:
                n += 1
            name = f"{name}_{n}"
            taken.add(name)
        seen.add(name)
        result.append(name)
    return result
