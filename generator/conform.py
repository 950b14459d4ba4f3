"""Examples against the types their page declares: keys mapped to wire names, and an example that
contradicts its own page reported as a docs inconsistency (a warning) and left out."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence

from . import ir
from .errors import Problem

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})")


def check_examples(definitions: Sequence[ir.Definition]) -> tuple[list[ir.Definition], list[Problem]]:
    by_name = {d.name: d for d in definitions}
    warnings: list[Problem] = []
    checked: list[ir.Definition] = []
    for definition in definitions:
        self_type = ir.Ref(definition.name, definition.loc.path)
        kept = []
        for example in definition.examples:
            value = to_wire(example, self_type, by_name)
            reason = misfit(value, self_type, by_name)
            if reason is None:
                kept.append(value)
            else:
                warnings.append(Problem(definition.loc, f"the Example Usage value does not fit the page's own table ({reason}); left out of the schema", warning=True, kind="example-misfit"))
        if kept != list(definition.examples):  # keys now wire names, or an example left out
            definition = dataclasses.replace(definition, examples=tuple(kept))
        if isinstance(definition, ir.Model) and any(f.examples for f in definition.fields):
            fields = []
            for f in definition.fields:
                good = tuple(e for e in f.examples if misfit(e, f.type, by_name, f.nullable) is None)
                for bad in (e for e in f.examples if e not in good):
                    reason = misfit(bad, f.type, by_name, f.nullable)
                    warnings.append(Problem(f.loc, f"example of field '{f.doc_name}' does not fit its type: {reason}; left out", warning=True, kind="field-example-misfit"))
                fields.append(f if len(good) == len(f.examples) else dataclasses.replace(f, examples=good))
            definition = dataclasses.replace(definition, fields=tuple(fields))
        checked.append(definition)
    return checked, warnings


def to_wire(value: ir.JSONValue, t: ir.TypeExpr, by_name: Mapping[str, ir.Definition]) -> ir.JSONValue:
    """An example with object keys as the page writes them (doc names) turned into wire names."""
    if isinstance(t, ir.Array) and isinstance(value, list):
        return [to_wire(v, t.item, by_name) for v in value]
    if isinstance(t, ir.Map) and isinstance(value, dict):
        return {k: to_wire(v, t.value, by_name) for k, v in value.items()}
    if isinstance(t, ir.OneOf):
        return _to_wire_member(value, t.members, by_name)
    if not isinstance(t, ir.Ref) or t.name not in by_name:
        return value
    target = by_name[t.name]
    if isinstance(target, ir.Union):
        return _to_wire_member(value, [m.type for m in target.members], by_name)
    if isinstance(target, ir.Model) and isinstance(value, dict):
        fields = {f.doc_name: f for f in target.fields} | {f.wire_name: f for f in target.fields}
        return {
            (fields[k].wire_name if k in fields else k): (to_wire(v, fields[k].type, by_name) if k in fields else v)
            for k, v in value.items()
        }
    return value


def _to_wire_member(value: ir.JSONValue, members: Sequence[ir.TypeExpr], by_name: Mapping[str, ir.Definition]) -> ir.JSONValue:
    for member in members:
        converted = to_wire(value, member, by_name)
        if misfit(converted, member, by_name) is None:
            return converted
    return value


def misfit(value: ir.JSONValue, t: ir.TypeExpr, by_name: Mapping[str, ir.Definition], nullable: bool | None = False) -> str | None:
    """Why `value` is not a valid `t`, or None when it is."""
    if value is None and nullable:
        return None
    if isinstance(t, ir.Primitive):
        return None if _primitive_fits(value, t.kind) else f"{_show(value)} is not {_A[t.kind]}"
    if isinstance(t, ir.LiteralValue):
        return None if type(value) is type(t.value) and value == t.value else f"{_show(value)} is not {_show(t.value)}"
    if isinstance(t, ir.Array):
        if not isinstance(value, list):
            return f"{_show(value)} is not an array"
        return next((f"[{i}]: {r}" for i, v in enumerate(value) if (r := misfit(v, t.item, by_name)) is not None), None)
    if isinstance(t, ir.Map):
        if not isinstance(value, dict):
            return f"{_show(value)} is not an object"
        return next((f"{k}: {r}" for k, v in value.items() if (r := misfit(v, t.value, by_name)) is not None), None)
    if isinstance(t, ir.OneOf):
        reasons = [misfit(value, m, by_name) for m in t.members]
        return None if None in reasons else "; ".join(r for r in reasons if r)
    target = by_name.get(t.name)
    if target is None:
        return None
    if isinstance(target, ir.Enum):
        if value is None and target.nullable:
            return None
        values = [v.value for v in target.values]
        if value in values and type(value) in (str, int) and not isinstance(value, bool):
            return None
        if target.open and type(value) in {type(v) for v in values}:
            return None
        return f"{_show(value)} is not one of {_show(values)}"
    if isinstance(target, ir.Union):
        if not target.members:  # a page that names no member types: any value
            return None
        reasons = [misfit(value, m.type, by_name) for m in target.members]
        return None if None in reasons else f"{_show(value)} fits no member of {target.name}"
    if not isinstance(value, dict):
        return f"{_show(value)} is not an object"
    for f in target.fields:
        if f.wire_name not in value:
            if f.required:
                return f"required field '{f.wire_name}' is missing"
            continue
        reason = misfit(value[f.wire_name], f.type, by_name, f.nullable)
        if reason is not None:
            return f"{f.wire_name}: {reason}"
    if target.additional is not None:  # the other keys are of the type the page gives them
        named = {f.wire_name for f in target.fields}
        return next((f"{k}: {r}" for k, v in value.items() if k not in named and (r := misfit(v, target.additional, by_name)) is not None), None)
    return None


_A = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "any": "a value",
    "date": "a date (YYYY-MM-DD)",
    "date-time": "an RFC 3339 date-time",
    "binary": "file content",
}


def _primitive_fits(value: ir.JSONValue, kind: str) -> bool:
    if kind in ("any", "binary"):
        return True
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if not isinstance(value, str):
        return False
    if kind == "date":
        return _DATE.fullmatch(value) is not None
    if kind == "date-time":
        return _DATE_TIME.fullmatch(value) is not None
    return True


def _show(value: object) -> str:
    """A value in a message: JSON, cut short."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
