"""IR -> file texts, one Jinja template per output file. Every decision about the generated code
(type strings, converters, imports, order) is made here; templates only loop and print."""

from __future__ import annotations

import hashlib
import json
import keyword
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jinja2

from . import ir, names
from .config import TARGETS, Target
from .errors import printable

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Per primitive: (dataclass type, TypedDict type, converter, JSON Schema).
_PRIMITIVES: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "string": ("str", "str", "rt.string", {"type": "string"}),
    "integer": ("int", "int", "rt.integer", {"type": "integer"}),
    "number": ("float", "float", "rt.number", {"type": "number"}),
    "boolean": ("bool", "bool", "rt.boolean", {"type": "boolean"}),
    "any": ("Any", "Any", "rt.any_", {}),
    "date": ("datetime.date", "str", "rt.date", {"type": "string", "format": "date"}),
    "date-time": ("datetime.datetime", "str", "rt.date_time", {"type": "string", "format": "date-time"}),
    # File content is not JSON; as a JSON value it can only be text.
    "binary": ("str | bytes", "str | bytes", "rt.binary", {"type": "string", "contentMediaType": "application/octet-stream"}),
}


# -- what templates see ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldView:
    field: ir.Field
    annotation: str
    """The field's Python type, e.g. `list[str] | None | rt.Unset` (dataclasses) or `NotRequired[list[str] | None]`."""
    load: str = ""
    """Dataclasses: the converter from JSON, e.g. `rt.nullable(rt.array(rt.string))`."""
    dump: str = ""
    """Dataclasses: the expression that turns the attribute back into JSON."""


@dataclass(frozen=True, slots=True)
class AdditionalView:
    annotation: str
    """The type of one value, e.g. `str`."""
    load: str
    dump: str


@dataclass(frozen=True, slots=True)
class ModelView:
    model: ir.Model
    fields: tuple[FieldView, ...]
    wire_names: tuple[str, ...]
    functional: bool = False
    """TypedDicts: some key cannot be a class attribute as it is, so the functional syntax is needed."""
    additional: AdditionalView | None = None
    """Dataclasses: `additional_properties` where the page types them."""

    @property
    def required_fields(self) -> tuple[FieldView, ...]:
        return tuple(f for f in self.fields if f.field.required)


@dataclass(frozen=True, slots=True)
class UnionView:
    union: ir.Union
    annotation: str
    """The union as a type expression, e.g. `str | list[ContentChunk]`."""
    load: str = ""
    """Dataclasses: the converter from JSON."""
    function: str = ""
    """Dataclasses: the name of the generated `..._from_dict` function."""


@dataclass(frozen=True, slots=True)
class EnumView:
    enum: ir.Enum
    annotation: str
    """Dataclasses: the enum's bases (`str, enum.Enum`); TypedDicts: the `Literal[...]` the enum
    stands for."""


# -- entry point ----------------------------------------------------------------------------------


def render_python(schema: ir.Schema, targets: Iterable[Target], templates: Path | None = None) -> dict[str, str]:
    """The Python files (path relative to the output folder -> text, not yet formatted): the
    package's `__init__.py`, and those of the dataclasses and TypedDicts targets."""
    env = environment(templates)
    by_name = {d.name: d for d in schema.definitions}
    models = [d for d in schema.definitions if isinstance(d, ir.Model)]
    enums = [d for d in schema.definitions if isinstance(d, ir.Enum)]
    unions = [d for d in schema.definitions if isinstance(d, ir.Union)]
    context = {"sources": schema.sources}
    files = {"__init__.py": env.get_template("package/__init__.py.jinja").render(context)}
    targets = set(targets)
    if "dataclasses" in targets:
        recursive = _recursive(by_name)
        model_views = [_dataclass_view(m, by_name, recursive) for m in models]
        union_views = [_dataclass_union_view(u, by_name, recursive) for u in unions]
        annotations = " ".join([f.annotation for v in model_views for f in v.fields] + [u.annotation for u in union_views])
        files["_runtime.py"] = env.get_template("dataclasses/_runtime.py.jinja").render(context)
        files["models.py"] = env.get_template("dataclasses/models.py.jinja").render(
            context,
            enums=[EnumView(e, _enum_bases(e)) for e in enums],
            models=model_views,
            unions=union_views,
            typing_imports=sorted({*_typing_imports(annotations, unions), *(["Any"] if models or unions else [])}),
            uses_datetime="datetime." in annotations,
        )
    if "typeddicts" in targets:
        model_views = [_typeddict_view(m, by_name) for m in models]
        union_views = [UnionView(u, _union_annotation(u, by_name, for_typeddict=True)) for u in unions]
        enum_views = [EnumView(e, _enum_literal(e)) for e in enums]
        annotations = " ".join([f.annotation for v in model_views for f in v.fields] + [v.annotation for v in enum_views + union_views])
        files["typeddicts.py"] = env.get_template("typeddicts/typeddicts.py.jinja").render(
            context,
            enums=enum_views,
            models=model_views,
            unions=union_views,
            typing_imports=sorted({"TypedDict", *_typing_imports(annotations, unions)}),
            needs_version_switch="NotRequired[" in annotations,
        )
    return files


def render_json_schemas(schema: ir.Schema, templates: Path | None = None, reuse: Mapping[str, str] | None = None) -> dict[str, str]:
    """The JSON Schema files, one per definition. `reuse`: files known to be what rendering them
    would give (see `json_fingerprints`)."""
    template = environment(templates).get_template("jsonschema/model.json.jinja")
    documents = _JsonSchemas({d.name: d for d in schema.definitions})
    return {path: reuse[path] if reuse and path in reuse else template.render(schema=documents.document(definition)) for definition, path in _json_files(schema)}


def json_fingerprints(schema: ir.Schema, page_hashes: Mapping[str, str]) -> dict[str, str]:
    """A hash, per JSON Schema file, of all its text is made of: the names of all definitions (a
    rename anywhere may change a reference), and the path and content (`page_hashes`) of the
    pages its definition and every definition it references come from. Given the same settings,
    templates and docmodels, files with the same fingerprint have the same text."""
    by_name = {d.name: d for d in schema.definitions}
    documents = _JsonSchemas(by_name)
    names = hashlib.sha256(json.dumps([[d.name, d.python_name, d.loc.path] for d in schema.definitions]).encode()).hexdigest()
    fingerprints = {}
    for definition, path in _json_files(schema):
        pages = sorted({by_name[name].loc.path for name in documents.referenced(definition.name)} | {definition.loc.path})
        if all(page in page_hashes for page in pages):  # else no fingerprint, and no reuse
            sources = json.dumps([definition.name, [[page, page_hashes[page]] for page in pages]])
            fingerprints[path] = hashlib.sha256(f"{names}\n{sources}".encode("utf-8", "surrogatepass")).hexdigest()
    return fingerprints


def _json_files(schema: ir.Schema) -> list[tuple[ir.Definition, str]]:
    file_names = _file_names([d.python_name for d in schema.definitions])
    return [(d, f"jsonschema/{file_name}.json") for d, file_name in zip(schema.definitions, file_names)]


_WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})


def _file_names(class_names: list[str]) -> list[str]:
    """File names for class names that stay distinct on case-insensitive file systems and are not
    Windows device names. Class names are ASCII identifiers, so no path can be formed."""
    taken: set[str] = set()
    result = []
    for name in class_names:
        candidate = name + "_" if name.lower() in _WINDOWS_DEVICES else name
        n = 2
        while candidate.lower() in taken:
            candidate, n = f"{name}_{n}", n + 1
        taken.add(candidate.lower())
        result.append(candidate)
    return result


def _typing_imports(annotations: str, unions: list[ir.Union]) -> list[str]:
    used = [name for name in ("Any", "Literal") if re.search(rf"\b{name}\b", annotations)]
    return sorted(used + (["TypeAlias"] if unions else []))


@cache
def environment(templates: Path | None = None) -> jinja2.Environment:
    builtin = Path(__file__).parent / "templates"
    if not builtin.is_dir():  # a source checkout: templates/ sits beside the package
        builtin = Path(__file__).parent.parent / "templates"
    search = [str(templates), str(builtin)] if templates else [str(builtin)]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(py=py_literal, docstring=docstring, comment=comment, comment_text=comment_text, json=json_text)
    return env


# -- filters: the only ways page text reaches generated code --------------------------------------


def _escape_char(char: str, quote: str) -> str:
    if char == "\\":
        return "\\\\"
    if char == quote:
        return "\\" + quote
    if char.isprintable() or char == " ":
        return char
    return repr(char)[1:-1]  # \n, \t, \x00, \u2028 ...


def py_literal(value: Any) -> str:
    """A Python literal for a JSON-like value, in black's style: strings in double quotes unless
    single quotes need fewer escapes."""
    if isinstance(value, str):
        quote = "'" if value.count('"') > value.count("'") else '"'
        if value.isprintable() and quote not in value and "\\" not in value:
            return quote + value + quote  # nothing to escape: most names and values
        return quote + "".join(_escape_char(c, quote) for c in value) + quote
    if isinstance(value, (list, tuple)):
        inner = ", ".join(py_literal(v) for v in value)
        return f"({inner},)" if isinstance(value, tuple) and len(value) == 1 else (f"({inner})" if isinstance(value, tuple) else f"[{inner}]")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, float) and math.isfinite(value):
        return repr(value).replace("e+", "e")  # black writes 1e16, not 1e+16
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    raise TypeError(f"no Python literal for {value!r}")


def docstring(text: str, indent: int) -> str:
    """A triple-quoted docstring whose value is `text` as black would leave it: ends of lines
    stripped, continuation lines dedented together, then indented by `indent`."""
    text = text.strip()
    plain = text.replace("\n", "")
    if plain.isprintable() and '"' not in plain and "\\" not in plain:
        body = text  # nothing to escape: most descriptions
    else:
        body = "".join(_docstring_char(text, i) for i in range(len(text)))
    first, *rest = [line.rstrip(" ") for line in body.split("\n")]
    if not rest:
        return f'"""{first}"""'
    common = min(len(line) - len(line.lstrip(" ")) for line in rest if line)
    pad = " " * indent
    lines = [pad + line[common:] if line else "" for line in rest]
    return '"""' + "\n".join([first, *lines, pad]) + '"""'


def _docstring_char(text: str, i: int) -> str:
    char = text[i]
    if char != '"':
        return "\n" if char == "\n" else _escape_char(char, "")
    if i in (0, len(text) - 1):
        return "\\x22"  # a quote at either end would merge with the delimiters (black pads it)
    return '\\"' if '"' in (text[i - 1], text[i + 1]) else '"'  # no `"""` inside


def comment_text(text: str) -> str:
    """Text for inside one comment line: no line breaks or other control characters."""
    return text if text.isprintable() else printable(text)  # most descriptions are


def comment(text: str, indent: int) -> str:
    pad = " " * indent
    return "\n".join(f"{pad}# {comment_text(line)}".rstrip() for line in text.strip().split("\n"))


def json_text(value: Any, indent: str = "") -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, about three times as fast: the standard
    library's encoder is pure Python once it indents, and JSON Schema is most of a cold run's text."""
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, dict):
        return value.text(indent) if type(value) is _SharedSchema else _json_object(value, indent)
    if isinstance(value, list):
        inner = indent + "  "
        items = [inner + json_text(v, inner) for v in value]
        return "[\n" + ",\n".join(items) + f"\n{indent}]" if items else "[]"
    return json.dumps(value)  # numbers, booleans, null


def _json_object(value: dict[str, Any], indent: str) -> str:
    inner = indent + "  "
    items = [f"{inner}{_json_string(k)}: {json_text(v, inner)}" for k, v in value.items()]
    return "{\n" + ",\n".join(items) + f"\n{indent}}}" if items else "{}"


_json_string = json.encoder.encode_basestring


class _SharedSchema(dict[str, Any]):
    """A definition's schema as the `$defs` of many documents embed it: its JSON text is written
    once per indent, not once per document."""

    __slots__ = ("_texts",)

    def __init__(self, schema: dict[str, Any]) -> None:
        super().__init__(schema)
        self._texts: dict[str, str] = {}

    def text(self, indent: str) -> str:
        if indent not in self._texts:
            self._texts[indent] = _json_object(self, indent)
        return self._texts[indent]


# -- dataclasses ----------------------------------------------------------------------------------


def _dataclass_view(model: ir.Model, by_name: dict[str, ir.Definition], recursive: frozenset[str]) -> ModelView:
    fields = []
    for f in model.fields:
        annotation = _py_type(f.type, by_name)
        load = _loader(f.type, by_name, recursive)
        if f.nullable and not _takes_null(f.type, by_name):
            annotation += " | None"
            load = f"rt.nullable({load})"
        if not f.required:
            annotation += " | rt.Unset"
        fields.append(FieldView(f, annotation, load, _dump(f"self.{f.python_name}", f.type, by_name)))
    additional = None
    if model.additional is not None:
        t = model.additional
        additional = AdditionalView(_py_type(t, by_name), _loader(t, by_name, recursive), _dump("self.additional_properties", t, by_name))
    return ModelView(model, tuple(fields), tuple(f.wire_name for f in model.fields), additional=additional)


def _dump(attribute: str, t: ir.TypeExpr, by_name: dict[str, ir.Definition]) -> str:
    return f"rt.dump({attribute})" if _needs_dump(t, by_name) else attribute


def _dataclass_union_view(union: ir.Union, by_name: dict[str, ir.Definition], recursive: frozenset[str]) -> UnionView:
    return UnionView(union, _union_annotation(union, by_name), _union_loader(union, by_name, recursive), _union_function(union))


def _union_function(union: ir.Union) -> str:
    return names.snake_case(union.python_name) + "_from_dict"


def _py_type(t: ir.TypeExpr, by_name: dict[str, ir.Definition], for_typeddict: bool = False) -> str:
    if isinstance(t, ir.Primitive):
        dataclass_type, typeddict_type, _, _ = _PRIMITIVES[t.kind]
        return typeddict_type if for_typeddict else dataclass_type
    if isinstance(t, ir.Array):
        return f"list[{_py_type(t.item, by_name, for_typeddict)}]"
    if isinstance(t, ir.Map):
        return f"dict[str, {_py_type(t.value, by_name, for_typeddict)}]"
    if isinstance(t, ir.OneOf):
        return " | ".join(dict.fromkeys(_py_type(m, by_name, for_typeddict) for m in t.members))
    if isinstance(t, ir.Ref):
        target = by_name[t.name]
        annotation = target.python_name
        if isinstance(target, ir.Enum) and target.open and not for_typeddict:
            annotation = f"{target.python_name} | {_enum_value_types(target)}"
        return f"{annotation} | None" if isinstance(target, ir.Enum) and target.nullable else annotation
    return f"Literal[{py_literal(t.value)}]"


def _union_annotation(union: ir.Union, by_name: dict[str, ir.Definition], for_typeddict: bool = False) -> str:
    return _py_type(_members(union), by_name, for_typeddict)


def _members(union: ir.Union) -> ir.TypeExpr:
    """A union's members as one type; any value where the page names none."""
    return ir.OneOf(tuple(m.type for m in union.members)) if union.members else ir.Primitive("any")


def _loader(t: ir.TypeExpr, by_name: dict[str, ir.Definition], recursive: frozenset[str]) -> str:
    """The converter from JSON; `recursive`: the definitions whose nesting is counted (`_recursive`)."""
    if isinstance(t, ir.Primitive):
        return _PRIMITIVES[t.kind][2]
    if isinstance(t, ir.Array):
        return f"rt.array({_loader(t.item, by_name, recursive)})"
    if isinstance(t, ir.Map):
        return f"rt.mapping({_loader(t.value, by_name, recursive)})"
    if isinstance(t, ir.OneOf):
        return _one_of_loader(list(t.members), by_name, recursive)
    if isinstance(t, ir.LiteralValue):
        return f"rt.literal({py_literal(t.value)})"
    target = by_name[t.name]
    if isinstance(target, ir.Enum):
        load = f"rt.{'open_enum' if target.open else 'enum_'}({target.python_name})"
        return f"rt.nullable({load})" if target.nullable else load
    load = _union_function(target) if isinstance(target, ir.Union) else f"{target.python_name}.from_dict"
    return f"rt.recursive({load})" if target.name in recursive else load


def _recursive(by_name: dict[str, ir.Definition]) -> frozenset[str]:
    """The definitions whose values may contain values of themselves, where from_dict counts
    how deep they nest (`rt.recursive`): models that reach themselves, and unions that reach
    themselves through unions alone (a cycle through a model is counted at the model)."""
    refs: dict[str, set[str]] = {}
    for d in by_name.values():
        types = _type_exprs(d) + ([d.additional] if isinstance(d, ir.Model) and d.additional is not None else [])
        refs[d.name] = {ref.name for t in types for ref in ir.walk(t) if isinstance(ref, ir.Ref)}

    def reaches_itself(name: str, through: tuple[type, ...]) -> bool:
        seen: set[str] = set()
        todo = [name]
        while todo:
            for n in refs[todo.pop()]:
                if n == name:
                    return True
                if n not in seen and isinstance(by_name[n], through):
                    seen.add(n)
                    todo.append(n)
        return False

    models = (d.name for d in by_name.values() if isinstance(d, ir.Model) and reaches_itself(d.name, (ir.Model, ir.Union)))
    unions = (d.name for d in by_name.values() if isinstance(d, ir.Union) and reaches_itself(d.name, (ir.Union,)))
    return frozenset([*models, *unions])


def _union_loader(union: ir.Union, by_name: dict[str, ir.Definition], recursive: frozenset[str]) -> str:
    return _one_of_loader([m.type for m in union.members], by_name, recursive) if union.members else _loader(_members(union), by_name, recursive)


def _one_of_loader(members: list[ir.TypeExpr], by_name: dict[str, ir.Definition], recursive: frozenset[str]) -> str:
    """Try the members in order; where every member is a model with a literal field of the same
    name and distinct values (`role`), pick by that field first."""
    fallback = "rt.one_of(" + ", ".join(_loader(m, by_name, recursive) for m in members) + ")"
    key = _discriminator(members, by_name)
    if key is None:
        return fallback
    choices = []
    for m in members:
        model = by_name[m.name]  # type: ignore[union-attr]
        literal = next(f.type for f in model.fields if f.wire_name == key)  # type: ignore[union-attr]
        choices.append(f"{py_literal(literal.value)}: {_loader(m, by_name, recursive)}")  # type: ignore[union-attr]
    return f"rt.discriminated({py_literal(key)}, {{{', '.join(choices)}}}, {fallback})"


def _discriminator(members: list[ir.TypeExpr], by_name: dict[str, ir.Definition]) -> str | None:
    models = [by_name[m.name] for m in members if isinstance(m, ir.Ref)]
    if len(models) != len(members) or len(models) < 2 or not all(isinstance(m, ir.Model) for m in models):
        return None
    literal_fields = [{f.wire_name: f.type.value for f in m.fields if isinstance(f.type, ir.LiteralValue)} for m in models]  # type: ignore[union-attr]
    for key in sorted(set.intersection(*(set(fields) for fields in literal_fields))):
        values = [fields[key] for fields in literal_fields]
        if len(set(map(repr, values))) == len(values):
            return key
    return None


def _takes_null(t: ir.TypeExpr, by_name: dict[str, ir.Definition]) -> bool:
    """Whether the type itself takes null: a nullable enum (`<nil>` among its values)."""
    return isinstance(t, ir.Ref) and isinstance(target := by_name[t.name], ir.Enum) and target.nullable


def _needs_dump(t: ir.TypeExpr, by_name: dict[str, ir.Definition]) -> bool:
    """Whether the attribute may hold something other than plain JSON (a model, enum or date)."""
    return any(isinstance(sub, ir.Ref) or (isinstance(sub, ir.Primitive) and sub.kind in ("date", "date-time")) for sub in ir.walk(t))


def _enum_bases(enum: ir.Enum) -> str:
    """`str, enum.Enum`: members are also their values; a mixed enum is a plain `enum.Enum`."""
    kinds = _enum_value_types(enum)
    return "enum.Enum" if "|" in kinds else f"{kinds}, enum.Enum"


def _enum_value_types(enum: ir.Enum) -> str:
    """The Python types of an enum's values: `str`, `int` or, for a mixed enum, `str | int`."""
    kinds = {type(v.value) for v in enum.values}
    return " | ".join(k.__name__ for k in (str, int) if k in kinds)


# -- TypedDicts -----------------------------------------------------------------------------------


def _typeddict_view(model: ir.Model, by_name: dict[str, ir.Definition]) -> ModelView:
    fields = []
    for f in model.fields:
        annotation = _py_type(f.type, by_name, for_typeddict=True)
        if f.nullable and not _takes_null(f.type, by_name):
            annotation += " | None"
        if not f.required:
            annotation = f"NotRequired[{annotation}]"
        fields.append(FieldView(f, annotation))
    functional = any(not _plain_key(f.wire_name) for f in model.fields)
    return ModelView(model, tuple(fields), tuple(f.wire_name for f in model.fields), functional)


def _plain_key(key: str) -> bool:
    """Whether a key can be written as a class attribute and stays the same key: an ASCII
    identifier (Python would NFKC-normalize others), no keyword, no `__` (it would be mangled)."""
    return key.isascii() and key.isidentifier() and not keyword.iskeyword(key) and not key.startswith("__")


def _enum_literal(enum: ir.Enum) -> str:
    literal = "Literal[" + ", ".join(py_literal(v.value) for v in enum.values) + "]"
    return f"{literal} | {_enum_value_types(enum)}" if enum.open else literal


# -- JSON Schema ----------------------------------------------------------------------------------


class _JsonSchemas:
    """The standalone Draft 2020-12 documents of one run: each definition at the root of its own,
    what it references in $defs. What many documents share is built once."""

    def __init__(self, by_name: dict[str, ir.Definition]) -> None:
        self.by_name = by_name
        self.refs: dict[str, set[str]] = {}
        self.shared: dict[tuple[str, str], _SharedSchema] = {}

    def document(self, definition: ir.Definition) -> dict[str, Any]:
        root = definition.name
        document: dict[str, Any] = {
            "$schema": JSON_SCHEMA_DIALECT,
            "$comment": f"Generated by docmodels from {printable(definition.loc.path)}. Do not edit by hand.",
        }
        document.update(_definition_schema(definition, root, self.by_name))
        defs = {}
        for name in sorted(self.referenced(root) - {root}):
            # An entry differs between documents only where it points back at the root (`#`).
            key = (name, root if root in self._refs(name) else "")
            if key not in self.shared:
                self.shared[key] = _SharedSchema(_definition_schema(self.by_name[name], root, self.by_name))
            defs[self.by_name[name].python_name] = self.shared[key]
        if defs:
            document["$defs"] = defs
        return document

    def _refs(self, name: str) -> set[str]:
        """The names a definition references directly."""
        if name not in self.refs:
            types = _type_exprs(self.by_name[name])
            self.refs[name] = {ref.name for t in types for ref in ir.walk(t) if isinstance(ref, ir.Ref)}
        return self.refs[name]

    def referenced(self, root: str) -> set[str]:
        """The names `root` references, directly or not."""
        seen: set[str] = set()
        todo = [root]
        while todo:
            for name in self._refs(todo.pop()):
                if name not in seen:
                    seen.add(name)
                    todo.append(name)
        return seen


def _type_exprs(definition: ir.Definition) -> list[ir.TypeExpr]:
    if isinstance(definition, ir.Model):
        return [f.type for f in definition.fields] + ([definition.additional] if definition.additional is not None else [])
    if isinstance(definition, ir.Union):
        return [m.type for m in definition.members]
    return []


def _definition_schema(definition: ir.Definition, root: str, by_name: dict[str, ir.Definition]) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": definition.name}
    if definition.description:
        schema["description"] = definition.description
    if isinstance(definition, ir.Enum):
        kinds = [{"str": "string", "int": "integer"}[k] for k in _enum_value_types(definition).split(" | ")]
        kind = kinds[0] if len(kinds) == 1 else kinds
        listed = {"type": kind, "enum": [v.value for v in definition.values]}
        # An open enum also takes values it does not list: any value of the same JSON type.
        values = {"anyOf": [listed, {"type": kind}]} if definition.open else listed
        schema.update(_nullable(values) if definition.nullable else values)
    elif isinstance(definition, ir.Model):
        schema["type"] = "object"
        properties = {}
        for f in definition.fields:
            prop = _type_schema(f.type, root, by_name)
            if f.nullable and not _takes_null(f.type, by_name):
                prop = _nullable(prop)
            if f.description:
                prop = {"description": f.description, **prop}
            if f.deprecated:
                prop["deprecated"] = True
            if f.examples:
                prop["examples"] = list(f.examples)
            properties[f.wire_name] = prop
        schema["properties"] = properties
        schema["required"] = [f.wire_name for f in definition.fields if f.required]
        if definition.additional is not None:
            schema["additionalProperties"] = _type_schema(definition.additional, root, by_name)
    elif definition.members:
        schema["anyOf"] = [_type_schema(m.type, root, by_name) for m in definition.members]
    if definition.deprecated:
        schema["deprecated"] = True
    if definition.examples:
        schema["examples"] = list(definition.examples)
    return schema


def _type_schema(t: ir.TypeExpr, root: str, by_name: dict[str, ir.Definition]) -> dict[str, Any]:
    if isinstance(t, ir.Primitive):
        return dict(_PRIMITIVES[t.kind][3])
    if isinstance(t, ir.OneOf):
        return {"anyOf": [_type_schema(m, root, by_name) for m in t.members]}
    if isinstance(t, ir.Array):
        return {"type": "array", "items": _type_schema(t.item, root, by_name)}
    if isinstance(t, ir.Map):
        return {"type": "object", "additionalProperties": _type_schema(t.value, root, by_name)}
    if isinstance(t, ir.Ref):
        # $defs are keyed by class name: an identifier, so safe in a JSON pointer.
        return {"$ref": "#" if t.name == root else f"#/$defs/{by_name[t.name].python_name}"}
    return {"const": t.value}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if isinstance(schema.get("type"), str) and "enum" not in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}
