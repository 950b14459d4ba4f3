"""IR -> file texts, one Jinja template per output file. Every decision about the generated code
(type strings, converters, imports, order) is made here; templates only loop and print."""

from __future__ import annotations

import json
import keyword
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jinja2

from . import ir

Target = Literal["dataclasses", "typeddicts", "jsonschema"]
TARGETS: tuple[Target, ...] = ("dataclasses", "typeddicts", "jsonschema")
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_PY_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "any": "Any", "date-time": "str"}
_LOADERS = {"string": "rt.string", "integer": "rt.integer", "number": "rt.number", "boolean": "rt.boolean", "any": "rt.any_", "date-time": "rt.string"}
_JSON_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "any": {},
    "date-time": {"type": "string", "format": "date-time"},
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
class ModelView:
    model: ir.Model
    fields: tuple[FieldView, ...]
    wire_names: tuple[str, ...]
    functional: bool = False
    """TypedDicts: some key is not an identifier, so the functional syntax is needed."""


@dataclass(frozen=True, slots=True)
class EnumView:
    enum: ir.Enum
    annotation: str = ""
    """TypedDicts: the `Literal[...]` the enum stands for."""


# -- entry point ----------------------------------------------------------------------------------


def render(schema: ir.Schema, targets: Iterable[Target], templates: Path | None = None) -> dict[str, str]:
    """Output files (path relative to the output folder -> text, not yet formatted)."""
    env = environment(templates)
    by_name = {d.name: d for d in schema.definitions}
    models = [d for d in schema.definitions if isinstance(d, ir.Model)]
    enums = [d for d in schema.definitions if isinstance(d, ir.Enum)]
    context = {"sources": schema.sources}
    files = {"__init__.py": env.get_template("package/__init__.py.jinja").render(context)}
    targets = set(targets)
    if "dataclasses" in targets:
        files["_runtime.py"] = env.get_template("dataclasses/_runtime.py.jinja").render(context)
        files["models.py"] = env.get_template("dataclasses/models.py.jinja").render(
            context,
            enums=[EnumView(e) for e in enums],
            models=[_dataclass_view(m, by_name) for m in models],
        )
    if "typeddicts" in targets:
        views = [_typeddict_view(m, by_name) for m in models]
        needs_not_required = any(not f.required for m in models for f in m.fields)
        used = [sub for m in models for f in m.fields for sub in ir.walk(f.type)]
        typing_imports = ["TypedDict"]
        if any(isinstance(t, ir.Primitive) and t.kind == "any" for t in used):
            typing_imports.append("Any")
        if enums or any(isinstance(t, ir.LiteralValue) for t in used):
            typing_imports.append("Literal")
        files["typeddicts.py"] = env.get_template("typeddicts/typeddicts.py.jinja").render(
            context,
            enums=[EnumView(e, "Literal[" + ", ".join(py_literal(v.value) for v in e.values) + "]") for e in enums],
            models=views,
            typing_imports=sorted(typing_imports),
            needs_version_switch=needs_not_required,
        )
    if "jsonschema" in targets:
        template = env.get_template("jsonschema/model.json.jinja")
        for definition in schema.definitions:
            document = json_schema_document(definition, by_name, schema.sources)
            files[f"jsonschema/{definition.python_name}.json"] = template.render(schema=document)
    return files


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
    """A Python literal for a JSON-like value; strings always in double quotes."""
    if isinstance(value, str):
        return '"' + "".join(_escape_char(c, '"') for c in value) + '"'
    if isinstance(value, (list, tuple)):
        inner = ", ".join(py_literal(v) for v in value)
        return f"({inner},)" if isinstance(value, tuple) and len(value) == 1 else (f"({inner})" if isinstance(value, tuple) else f"[{inner}]")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    raise TypeError(f"no Python literal for {type(value).__name__}")


def docstring(text: str, indent: int) -> str:
    """A triple-quoted docstring whose value is `text`, continuation lines indented."""
    body = "".join("\n" if c == "\n" else _escape_char(c, "") for c in text.strip())
    body = body.replace('"""', '\\"\\"\\"')
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    lines = body.split("\n")
    if len(lines) == 1:
        return f'"""{body}"""'
    pad = " " * indent
    rest = "\n".join((pad + line) if line.strip() else "" for line in lines[1:])
    return f'"""{lines[0]}\n{rest}\n{pad}"""'


def comment_text(text: str) -> str:
    """Text for inside one comment line: no line breaks or other control characters."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def comment(text: str, indent: int) -> str:
    pad = " " * indent
    return "\n".join(f"{pad}# {comment_text(line)}".rstrip() for line in text.strip().split("\n"))


def json_text(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


# -- dataclasses ----------------------------------------------------------------------------------


def _dataclass_view(model: ir.Model, by_name: dict[str, ir.Definition]) -> ModelView:
    fields = []
    for f in model.fields:
        annotation = _py_type(f.type, by_name)
        load = _loader(f.type, by_name)
        if f.nullable:
            annotation += " | None"
            load = f"rt.nullable({load})"
        if not f.required:
            annotation += " | rt.Unset"
        attribute = f"self.{f.python_name}"
        dump = f"rt.dump({attribute})" if _needs_dump(f.type) else attribute
        fields.append(FieldView(f, annotation, load, dump))
    return ModelView(model, tuple(fields), tuple(f.wire_name for f in model.fields))


def _py_type(t: ir.TypeExpr, by_name: dict[str, ir.Definition]) -> str:
    if isinstance(t, ir.Primitive):
        return _PY_TYPES[t.kind]
    if isinstance(t, ir.Array):
        return f"list[{_py_type(t.item, by_name)}]"
    if isinstance(t, ir.Map):
        return f"dict[str, {_py_type(t.value, by_name)}]"
    if isinstance(t, ir.Ref):
        return by_name[t.name].python_name
    return f"Literal[{py_literal(t.value)}]"


def _loader(t: ir.TypeExpr, by_name: dict[str, ir.Definition]) -> str:
    if isinstance(t, ir.Primitive):
        return _LOADERS[t.kind]
    if isinstance(t, ir.Array):
        return f"rt.array({_loader(t.item, by_name)})"
    if isinstance(t, ir.Map):
        return f"rt.mapping({_loader(t.value, by_name)})"
    if isinstance(t, ir.Ref):
        target = by_name[t.name]
        return f"rt.enum_({target.python_name})" if isinstance(target, ir.Enum) else f"{target.python_name}.from_dict"
    raise NotImplementedError(f"literal types in dataclasses: {t}")


def _needs_dump(t: ir.TypeExpr) -> bool:
    """Whether the attribute holds something other than plain JSON (a model or an enum)."""
    return any(isinstance(sub, ir.Ref) for sub in ir.walk(t))


# -- TypedDicts -----------------------------------------------------------------------------------


def _typeddict_view(model: ir.Model, by_name: dict[str, ir.Definition]) -> ModelView:
    fields = []
    for f in model.fields:
        annotation = _py_type(f.type, by_name)
        if f.nullable:
            annotation += " | None"
        if not f.required:
            annotation = f"NotRequired[{annotation}]"
        fields.append(FieldView(f, annotation))
    functional = any(not f.wire_name.isidentifier() or keyword.iskeyword(f.wire_name) for f in model.fields)
    return ModelView(model, tuple(fields), tuple(f.wire_name for f in model.fields), functional)


# -- JSON Schema ----------------------------------------------------------------------------------


def json_schema_document(definition: ir.Definition, by_name: dict[str, ir.Definition], sources: tuple[str, ...]) -> dict[str, Any]:
    """A standalone Draft 2020-12 document: the definition at the root, what it references in $defs."""
    referenced = _referenced(definition, by_name)
    document: dict[str, Any] = {
        "$schema": JSON_SCHEMA_DIALECT,
        "$comment": f"Generated by docmodels from {definition.loc.path}. Do not edit by hand.",
    }
    document.update(_definition_schema(definition, definition.name, by_name))
    defs = {
        by_name[name].python_name: _definition_schema(by_name[name], definition.name, by_name)
        for name in sorted(referenced)
        if name != definition.name
    }
    if defs:
        document["$defs"] = defs
    return document


def _referenced(root: ir.Definition, by_name: dict[str, ir.Definition]) -> set[str]:
    seen: set[str] = set()
    todo = [root]
    while todo:
        for t in _type_exprs(todo.pop()):
            for ref in ir.walk(t):
                if isinstance(ref, ir.Ref) and ref.name not in seen:
                    seen.add(ref.name)
                    todo.append(by_name[ref.name])
    return seen


def _type_exprs(definition: ir.Definition) -> list[ir.TypeExpr]:
    if isinstance(definition, ir.Model):
        return [f.type for f in definition.fields]
    if isinstance(definition, ir.Union):
        return [m.type for m in definition.members]
    return []


def _definition_schema(definition: ir.Definition, root: str, by_name: dict[str, ir.Definition]) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": definition.name}
    if definition.description:
        schema["description"] = definition.description
    if isinstance(definition, ir.Enum):
        values = [v.value for v in definition.values]
        schema["type"] = "string" if all(isinstance(v, str) for v in values) else "integer"
        schema["enum"] = values
    elif isinstance(definition, ir.Model):
        schema["type"] = "object"
        properties = {}
        for f in definition.fields:
            prop = _type_schema(f.type, root, by_name)
            if f.nullable:
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
    else:
        schema["anyOf"] = [_type_schema(m.type, root, by_name) for m in definition.members]
    return schema


def _type_schema(t: ir.TypeExpr, root: str, by_name: dict[str, ir.Definition]) -> dict[str, Any]:
    if isinstance(t, ir.Primitive):
        return dict(_JSON_TYPES[t.kind])
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
