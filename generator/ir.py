"""The intermediate schema: what the pages say, independent of markdown and of any target.

Every node is a frozen, slotted dataclass that carries where it came from. The parser builds it,
`resolve` fills in names and nullability, the renderers only read it.
"""

from __future__ import annotations

import json
import typing
from dataclasses import dataclass
from typing import Literal

JSONValue = typing.Union[None, bool, int, float, str, list["JSONValue"], dict[str, "JSONValue"]]

PrimitiveKind = Literal["string", "integer", "number", "boolean", "any", "date", "date-time", "binary"]
"""`binary` is file content (File, Blob, ReadableStream<Uint8Array>, bytes, IO[bytes])."""
Decided = Literal["page", "example", "setting", "override"]
"""Who decided a fact the page may leave open: the page itself, a `null` in the page's own example
(evidence), a setting, or the overrides file."""


@dataclass(frozen=True, slots=True, order=True)
class SourceLoc:
    path: str
    """The page, relative to the project root, with forward slashes."""
    line: int
    """1-based line of the block the node was read from."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


# -- type expressions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Primitive:
    kind: PrimitiveKind


@dataclass(frozen=True, slots=True)
class Array:
    item: TypeExpr


@dataclass(frozen=True, slots=True)
class Map:
    """An object with string keys and values of one type (`Record<string, T>`)."""

    value: TypeExpr


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a model, enum or union defined by another page."""

    name: str
    """The referenced definition's name (the `# Heading` of its page)."""
    page: str
    """The page that defines it, as a project-relative path; empty where the page names the type
    without a link (`*components.X*`), and resolve finds it by name."""


@dataclass(frozen=True, slots=True)
class LiteralValue:
    """A type with exactly one value (`*"assistant"*`, `*true*`)."""

    value: str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class OneOf:
    """An inline union in a Type cell (`[File](...) | [Blob](...)`, `Union[Literal["a"], UnrecognizedStr]`)."""

    members: tuple[TypeExpr, ...]


TypeExpr = typing.Union[Primitive, Array, Map, Ref, LiteralValue, OneOf]


# -- definitions --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    doc_name: str
    """The name as the page writes it (`autoStart`)."""
    wire_name: str
    """The key in JSON on the wire (`auto_start`); empty until resolved."""
    python_name: str
    """A valid, non-keyword Python identifier (`auto_start`, `from_`); empty until resolved."""
    type: TypeExpr
    required: bool
    nullable: bool | None
    """Whether null is a valid value on the wire; None (the page does not say) until resolved."""
    nullable_decided_by: Decided
    """`page` when the page says so, `example` when a `null` in the page's own example shows it,
    `setting` when the `nullable` setting decided, `override` when the overrides file did."""
    description: str
    examples: tuple[JSONValue, ...]
    """Example values from the page's Example column, already typed."""
    deprecated: bool
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A row or page that describes the SDK, not the JSON on the wire (the raw HTTP response an
    SDK attaches to a result), and so is in no generated model or schema."""

    name: str
    """The field's doc name, or the definition's name."""
    reason: str
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class Model:
    name: str
    """The page's `# Name`."""
    python_name: str
    """The class name in generated Python; empty until resolved."""
    description: str
    fields: tuple[Field, ...]
    examples: tuple[JSONValue, ...]
    """The page's Example Usage value, keys mapped to wire names once resolved."""
    loc: SourceLoc
    deprecated: bool = False
    additional: TypeExpr | None = None
    """The type of the keys the fields do not name, where the page says (an `additionalProperties`
    row typed `Record<string, T>`); None where it does not, and any such key is kept as read."""
    left_out: tuple[LeftOut, ...] = ()
    """Rows of the page that are not wire data."""


@dataclass(frozen=True, slots=True)
class EnumValue:
    name: str
    """The member's name as the page writes it, or its value where the page gives no name."""
    python_name: str
    """The UPPER_SNAKE member name in generated Python; empty until resolved."""
    value: str | int
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class Enum:
    name: str
    python_name: str
    description: str
    values: tuple[EnumValue, ...]
    open: bool
    """An open enum also accepts values it does not list."""
    examples: tuple[JSONValue, ...]
    loc: SourceLoc
    deprecated: bool = False
    nullable: bool = False
    """The page lists null among the values (`<nil>`)."""


@dataclass(frozen=True, slots=True)
class UnionMember:
    type: TypeExpr
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class Union:
    name: str
    python_name: str
    description: str
    members: tuple[UnionMember, ...]
    examples: tuple[JSONValue, ...]
    loc: SourceLoc
    deprecated: bool = False


Definition = typing.Union[Model, Enum, Union]


@dataclass(frozen=True, slots=True)
class Schema:
    definitions: tuple[Definition, ...]
    """Sorted by name."""
    sources: tuple[str, ...]
    """The pages the definitions came from, sorted."""
    left_out: tuple[LeftOut, ...] = ()
    """Pages that describe the SDK, not wire data (every row of `HTTPMetadata`), sorted."""


def walk(t: TypeExpr) -> typing.Iterator[TypeExpr]:
    """`t` and every type expression inside it."""
    yield t
    if isinstance(t, Array):
        yield from walk(t.item)
    elif isinstance(t, Map):
        yield from walk(t.value)
    elif isinstance(t, OneOf):
        for member in t.members:
            yield from walk(member)


# -- a lossless JSON form, for the cache --------------------------------------------------------

_NODES = {cls.__name__: cls for cls in (SourceLoc, Primitive, Array, Map, Ref, LiteralValue, OneOf, Field, LeftOut, Model, EnumValue, Enum, UnionMember, Union)}


def dumps(value: typing.Any) -> str:
    """IR nodes (and tuples, lists, dicts of them) as JSON text that `loads` reads back: a node is
    `{"n": name, "f": [field values in order]}`, a tuple `{"t": [...]}`, a dict `{"d": [[key,
    value], ...]}`, so every JSON object in the text is one of these three."""
    return json.dumps(_to_data(value))


def loads(text: str) -> typing.Any:
    """The inverse of `dumps`; raises ValueError (or TypeError, KeyError) on anything else. The
    JSON decoder builds the nodes as it reads (bottom up), with no second walk."""
    return json.loads(text, object_hook=_from_object)


def _to_data(value: typing.Any) -> typing.Any:
    kind = type(value)
    if kind.__name__ in _NODES and _NODES[kind.__name__] is kind:
        return {"n": kind.__name__, "f": [_to_data(getattr(value, k)) for k in kind.__slots__]}
    if kind is tuple:
        return {"t": [_to_data(v) for v in value]}
    if kind is list:
        return [_to_data(v) for v in value]
    if kind is dict:
        return {"d": [[k, _to_data(v)] for k, v in value.items()]}
    return value


def _from_object(data: dict[str, typing.Any]) -> typing.Any:
    if "n" in data and type(fields := data["f"]) is list:
        return _NODES[data["n"]](*fields)
    if type(items := data.get("t")) is list:
        return tuple(items)
    if type(pairs := data.get("d")) is list:
        return dict(pairs)
    raise ValueError(f"not IR data: {data!r}")
