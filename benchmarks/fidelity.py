"""How close the models docmodels writes come to the real API: compared with the OpenAPI spec the docs were generated from.

Usage, from the repository root (``../shared/corpus`` beside it)::

    .venv/bin/python benchmarks/fidelity.py                                  # every folder with an openapi.yaml
    .venv/bin/python benchmarks/fidelity.py --folder csharp-dailypay --examples 5 --output /tmp/f.md
    .venv/bin/python benchmarks/fidelity.py --folder go-mollie --overrides go-mollie=mine.yaml --output /tmp/m.md

Each corpus folder that has an ``openapi.yaml`` is generated (``--target jsonschema``) with the
settings of ``benchmarks/fidelity_settings.toml`` (``wire_case``, ``nullable``, ``open_enums``
where the CLI has it; no per-field overrides). Its definitions are matched by name with the
spec's ``components/schemas`` (names compared lower-case without punctuation; those left
unmatched on either side are counted apart), and each matched model is compared with its spec
schema: wire names, required sets, types (string, integer, number, boolean, array, object and
the formats date-time and date), enum values and nullability, into the inline objects of the
spec schema. Each difference is counted by kind, with how the page decided the field where the
IR says (``nullable_decided_by``) and the first places, so a reader can look at the page.
``--overrides FOLDER=FILE`` generates that folder with a user's overrides file, to see what it
changes; the committed figures use none.

Then acceptance: instances are drawn from each matched spec schema (``$ref``s inlined from the
spec's components, OpenAPI 3.0 ``nullable`` turned into JSON Schema, formats hypothesis-jsonschema
cannot draw dropped, objects closed to keys the spec does not list, a nullable spec schema drawn
without its null: a model is an object or an enum's values, null is the business of the fields that
use it) with hypothesis-jsonschema, deterministically (``derandomize``), up to
``--examples`` per model within ``--budget`` seconds, and validated with the generated
``jsonschema/<Class>.json`` (Draft 2020-12, formats checked). Spec schemas it cannot draw from
(recursive ones, unsatisfiable ones) are skipped and counted. The report goes to stdout and to
``--output`` (default ``benchmarks/fidelity.md``)."""

from __future__ import annotations

import argparse
import collections
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import relevance

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SETTINGS = ROOT / "benchmarks" / "fidelity_settings.toml"

# Kinds of difference, in report order, each with whether the pages carry the fact and what
# fixes it. "yes" means docmodels could read it from the pages (a docmodels bug to fix); "no"
# means the pages do not say it (a setting or an override says it instead). Checked by looking
# at the pages named in the report's places.
KINDS: dict[str, tuple[str, str]] = {
    "wire name in another case than wire_case": ("no: pages show the SDK's names, and the API mixes cases", "override `wire_name` per field"),
    "wire name spelled otherwise": ("no: pages show the SDK's names (`_links`, `sub-totals`, `street_1`; Python `date_` for `date`)", "override `wire_name` per field"),
    "wire name renamed by the SDK (x-speakeasy-name-override)": ("no: the page shows the SDK's new name", "override `wire_name` per field"),
    "property in spec, not in docs (readOnly or writeOnly)": ("no: the page is the model of the other direction (request or response)", "none needed (an extra key is kept as read)"),
    "property in spec, not in docs": ("no: the page has no row for it", "none needed (an extra key is kept as read)"),
    "SDK's extra-keys row read as a field": ("yes: Python's `__pydantic_extra__` row (`Dict[str, Any]`) says the model takes extra keys", "fixed: docmodels reads it as the extra-keys row (a count here is a regression)"),
    "property in docs, not in spec": ("no: a row the spec does not have (an SDK rename seen from the other side, a recursive error row)", "none needed where optional; override `wire_name`"),
    "required in spec, optional in docs": ("no: the page marks it optional (Speakeasy makes a field with a `default` optional)", "override `required: true` (harmless as it is: absence is accepted)"),
    "optional in spec, required in docs": ("none found (an `allOf` that only adds `required` is read with its parts)", "override `required: false`"),
    "type differs": ("no: Java's upload wrapper page `File` (`fileName`, `content` byte[]) stands for a multipart file", "override `type: binary`"),
    "format differs (date-time, date)": ("none found", "override `type: date-time` / `date`"),
    "enum values differ": ("none found", "override `open: true` on the enum, or `open_enums = \"all\"`"),
    "enum in spec, plain type in docs": ("no: C# writes a `const` as `*string*`, Go an integer enum as `*int64*`", "none needed (a plain type accepts every value); override `type` with an enum's name"),
    "nullable in spec, not in docs (page decided)": ("no: the page says not nullable (Go: a bare type on a required field, where the spec's `anyOf` has a null member; Python: `Optional[T]`)", "override `nullable: true`"),
    "nullable in spec, not in docs (setting decided)": ("no: the page does not say (C# never; Go and Java not for slices, maps and some required fields)", "setting `nullable = \"all\"` or override `nullable: true`"),
    "nullable in docs, not in spec": ("no: the page does not say, the setting lets optional fields take null", "`nullable = \"none\"` or override `nullable: false` (harmless: accepts more)"),
}


@dataclass
class Desc:
    """What a schema says, flattened: the JSON types it takes, its formats, its enum values."""

    types: frozenset[str]
    formats: frozenset[str] = frozenset()
    enum: frozenset[Any] | None = None

    @property
    def nullable(self) -> bool:
        return "null" in self.types or (self.enum is not None and None in self.enum)

    @property
    def base(self) -> frozenset[str]:
        return self.types - {"null"}


@dataclass
class Folder:
    name: str
    settings: dict[str, Any]
    spec_schemas: int = 0
    definitions: int = 0
    matched: list[tuple[str, str]] = field(default_factory=list)
    unmatched_spec: list[str] = field(default_factory=list)
    unmatched_docs: list[str] = field(default_factory=list)
    unmatched_spec_kinds: collections.Counter[str] = field(default_factory=collections.Counter)
    differences: collections.Counter[str] = field(default_factory=collections.Counter)
    places: dict[str, list[str]] = field(default_factory=lambda: collections.defaultdict(list))
    wire_cases: collections.Counter[str] = field(default_factory=collections.Counter)
    off_case: list[str] = field(default_factory=list)
    drawn: int = 0
    accepted: int = 0
    models_drawn: int = 0
    skipped: collections.Counter[str] = field(default_factory=collections.Counter)
    rejections: collections.Counter[str] = field(default_factory=collections.Counter)
    rejection_places: dict[str, list[str]] = field(default_factory=lambda: collections.defaultdict(list))
    seconds: float = 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", action="append", default=[], metavar="NAME", help="a corpus folder with an openapi.yaml (repeatable; default: all in the settings file)")
    parser.add_argument("--examples", type=int, default=20, help="instances drawn per spec schema (default 20; 0: compare only)")
    parser.add_argument("--budget", type=float, default=1.0, help="seconds of drawing per spec schema (default 1.0)")
    parser.add_argument("--settings", type=Path, default=SETTINGS)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--overrides", action="append", default=[], metavar="FOLDER=FILE", help="generate FOLDER with this overrides file too (to see what a user's overrides change; the committed figures use none)")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "fidelity.md")
    args = parser.parse_args(argv)
    settings = tomllib.loads(args.settings.read_text(encoding="utf-8"))
    names = args.folder or [name for name in settings if (args.corpus / name / "openapi.yaml").is_file()]
    cli = _cli_options()
    results = []
    for name in names:
        if name not in settings:
            raise SystemExit(f"{name}: no settings in {args.settings}")
        started = time.perf_counter()
        folder = Folder(name, dict(settings[name]))
        for entry in args.overrides:
            target, _, file = entry.partition("=")
            if target == name:
                folder.settings["overrides"] = str(Path(file).resolve())
        _measure(folder, args.corpus / name, cli, args.examples, args.budget)
        folder.seconds = time.perf_counter() - started
        results.append(folder)
        print(f"{name}: {len(folder.matched)} matched, {sum(folder.differences.values())} differences, {folder.accepted}/{folder.drawn} accepted ({folder.seconds:.0f} s)", file=sys.stderr)
    report = _report(results, cli, args)
    sys.stdout.write(report)
    args.output.write_text(report, encoding="utf-8")
    return 0


def _cli_options() -> dict[str, bool]:
    """Which of the newer settings this docmodels has, read from `generate --help`."""
    text = subprocess.run([sys.executable, "-m", "docmodels", "generate", "--help"], capture_output=True, text=True, check=True).stdout
    nullable = re.search(r"--nullable \{([^}]*)\}", text)
    return {"open_enums": "--open-enums" in text, "nullable_all": bool(nullable and "all" in nullable.group(1).split(","))}


# --- generating ---------------------------------------------------------------------------


def _generate(folder: Folder, path: Path, cli: dict[str, bool], out: Path) -> None:
    s = folder.settings
    leave_out = set(s.get("leave_out", ()))
    pages = [str(p) for p in sorted(path.rglob("*.md")) if p.name.lower() != "readme.md" and p.name not in leave_out] if leave_out else [str(path / "docs")]
    command = [sys.executable, "-m", "docmodels", "generate", *pages, "-o", str(out), "--target", "jsonschema", "--no-cache", "-q", "--wire-case", s["wire_case"]]
    if s.get("nullable") == "all" and not cli["nullable_all"]:
        raise SystemExit(f"{folder.name}: nullable = 'all' is not offered by this docmodels")
    command += ["--nullable", s.get("nullable", "optional")]
    if "overrides" in s:
        command += ["--overrides", s["overrides"]]
    if cli["open_enums"] and "open_enums" in s:
        command += ["--open-enums", s["open_enums"]]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"docmodels generate failed for {folder.name}:\n{result.stderr[-3000:]}")
    schema_command = [sys.executable, "-m", "docmodels", "schema", *pages, "--format", "json", *command[command.index("--wire-case"):]]
    schema = subprocess.run(schema_command, capture_output=True, text=True)
    (out / "ir.json").write_text(schema.stdout if schema.returncode == 0 else '{"definitions": []}', encoding="utf-8")


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """YAML as JSON reads it: no timestamps (a spec's example dates stay strings), only true/false as booleans."""


_Loader.yaml_implicit_resolvers = {k: [(t, r) for t, r in v if t not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


# --- comparing ----------------------------------------------------------------------------


class Doc:
    """One document whose `$ref`s resolve inside it: the spec, or one generated schema file."""

    def __init__(self, root: dict[str, Any], openapi30: bool = False) -> None:
        self.root = root
        self.openapi30 = openapi30

    def resolve(self, schema: Any, depth: int = 0) -> Any:
        while isinstance(schema, dict) and "$ref" in schema and depth < 50:
            ref = schema["$ref"]
            target: Any = self.root
            for part in ref.lstrip("#/").split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) else {}
            extra = {k: v for k, v in schema.items() if k not in ("$ref", "description", "examples", "example", "title")}
            schema = {**target, **extra} if extra else target
            depth += 1
        return schema

    def describe(self, schema: Any, depth: int = 0) -> Desc:
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or depth > 20:
            return Desc(frozenset({"any"}))
        types: set[str] = set()
        formats: set[str] = set()
        enum: set[Any] | None = None
        if "enum" in schema or "const" in schema:
            values = schema["enum"] if "enum" in schema else [schema["const"]]
            enum = {_hashable(v) for v in values}
            types |= {_json_type(v) for v in values}
        if "type" in schema:
            declared = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            types = set(declared) if enum is None else types | ({"null"} & set(declared))
        if schema.get("format") in ("date-time", "date"):
            formats.add(schema["format"])
        members = [m for key in ("anyOf", "oneOf") for m in schema.get(key, ())]
        for member in members:
            d = self.describe(member, depth + 1)
            types |= d.types
            formats |= d.formats
            if d.enum is not None:
                enum = (enum or set()) | d.enum
        for member in schema.get("allOf", ()):
            d = self.describe(member, depth + 1)
            if not types or types == {"any"}:
                types |= d.types
            formats |= d.formats
            if d.enum is not None and enum is None:
                enum = set(d.enum)
        if not types:
            types = {"object"} if "properties" in schema else {"any"}
        if "integer" in types and "number" in types and not members:
            types.discard("integer")
        if self.openapi30 and schema.get("nullable") is True:
            types.add("null")
            if enum is not None:
                enum.add(None)
        if "any" in types and len(types) > 1:
            types.discard("any")
        return Desc(frozenset(types), frozenset(formats), frozenset(enum) if enum is not None else None)

    def object_parts(self, schema: Any, depth: int = 0) -> tuple[dict[str, Any], set[str]] | None:
        """The properties and required names of an object schema (allOf merged), or None."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or depth > 20:
            return None
        props: dict[str, Any] = dict(schema.get("properties") or {})
        required = set(schema.get("required") or ())
        members = [m for key in ("anyOf", "oneOf") for m in schema.get(key, ())]
        found = "properties" in schema or (("required" in schema or schema.get("type") == "object") and not members)
        for member in schema.get("allOf", ()):
            parts = self.object_parts(member, depth + 1)
            if parts is not None:
                found = True
                props.update(parts[0])
                required |= parts[1]
        if not found and members:  # an object or null: the object member
            objects = [p for p in (self.object_parts(m, depth + 1) for m in members) if p is not None]
            non_null = [m for m in members if self.describe(m).types != frozenset({"null"})]
            if len(objects) == 1 and len(non_null) == 1:
                return objects[0]
        return (props, required) if found else None

    def members(self, schema: Any) -> list[Any]:
        """The members of a union that are not null."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return []
        return [m for key in ("anyOf", "oneOf") for m in schema.get(key, ()) if self.describe(m).types != frozenset({"null"})]

    def inner(self, schema: Any) -> Any:
        """The object schema a property holds, looking through null unions and arrays."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return None
        if schema.get("type") == "array" or (isinstance(schema.get("type"), list) and "array" in schema["type"]):
            return self.inner(schema.get("items"))
        members = [m for key in ("anyOf", "oneOf") for m in schema.get(key, ())]
        non_null = [m for m in members if self.describe(m).types != frozenset({"null"})]
        if members and len(non_null) == 1:
            return self.inner(non_null[0])
        return schema


def _shape(doc: Doc, schema: Any) -> str:
    """object, union or value (an enum or a scalar): a page and a spec schema of one name and two
    shapes are two models (Speakeasy renamed one of them)."""
    if doc.object_parts(schema) is not None:
        return "object"
    members = doc.members(schema)
    structured = [m for m in members if doc.object_parts(m) is not None or "array" in doc.describe(m).types]
    return "union" if len(members) > 1 and structured else "value"  # an open enum is a value: its values or any string


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    names: dict[type, str] = {str: "string", list: "array", dict: "object"}
    return names.get(type(value), "any")


def _case(name: str) -> str:
    if re.fullmatch(r"_?[a-z][a-z0-9]*", name):
        return "one word"
    if re.fullmatch(r"_?[a-z][a-z0-9]*(_[a-z0-9]+)+", name):
        return "snake_case"
    if re.fullmatch(r"_?[a-z][a-z0-9]*([A-Z][a-z0-9]*)+", name):
        return "camelCase"
    if re.fullmatch(r"[A-Z][A-Za-z0-9]*", name):
        return "PascalCase"
    return "other"


MAIN_CASE = {"snake": "snake_case", "camel": "camelCase"}


def _compare(folder: Folder, spec: Doc, gen: Doc, ir: dict[str, dict[str, Any]], spec_schema: Any, gen_schema: Any, where: str, seen: set[int], depth: int = 0) -> None:
    def note(kind: str, place: str) -> None:
        folder.differences[kind] += 1
        if len(folder.places[kind]) < 6:
            folder.places[kind].append(place)

    spec_parts = spec.object_parts(spec_schema)
    gen_resolved = gen.resolve(gen_schema)
    gen_parts = gen.object_parts(gen_schema)
    if spec_parts is None or gen_parts is None:
        sd, gd = spec.describe(spec_schema), gen.describe(gen_schema)
        _compare_values(note, sd, gd, where, None, root=depth == 0)
        spec_members, gen_members = spec.members(spec_schema), gen.members(gen_schema)
        if spec_members and len(spec_members) == len(gen_members) and depth < 8:  # a union: member by member, in order
            for i, (sm, gm) in enumerate(zip(spec_members, gen_members)):
                if spec.object_parts(sm) is not None and gen.object_parts(gm) is not None:
                    _compare(folder, spec, gen, ir, sm, gm, f"{where}[{i}]", seen, depth + 1)
        return
    title = gen_resolved.get("title", "") if isinstance(gen_resolved, dict) else ""
    fields = ir.get(title, {})
    spec_props, spec_required = spec_parts
    gen_props, gen_required = gen_parts
    by_norm = {_norm(name): name for name in gen_props}
    main = MAIN_CASE.get(folder.settings["wire_case"])
    matched_gen: set[str] = set()
    for name, sub in spec_props.items():
        name = str(name)
        case = _case(name)
        folder.wire_cases[case] += 1
        if main and case not in (main, "one word") and len(folder.off_case) < 8:
            folder.off_case.append(f"`{name}` ({where})")
        field_ir = fields.get(name) or fields.get(by_norm.get(_norm(name), "")) or {}
        loc = field_ir.get("loc", "")
        place = f"{where}.{name}" + (f" ({_short(loc)})" if loc else "")
        renamed = _norm(str(sub.get("x-speakeasy-name-override", ""))) if isinstance(sub, dict) else ""
        if name in gen_props:
            gname = name
        elif _norm(name) in by_norm:
            gname = by_norm[_norm(name)]
            other_case = bool(main) and case not in (main, "one word")
            note("wire name in another case than wire_case" if other_case else "wire name spelled otherwise", f"{where}: spec `{name}`, docs `{gname}`" + (f" ({_short(loc)})" if loc else ""))
        elif renamed and renamed in by_norm:
            gname = by_norm[renamed]
            note("wire name renamed by the SDK (x-speakeasy-name-override)", f"{where}: spec `{name}`, docs `{gname}`")
        elif isinstance(sub, dict) and (sub.get("readOnly") or sub.get("writeOnly") or spec.resolve(sub).get("readOnly") or spec.resolve(sub).get("writeOnly")):
            note("property in spec, not in docs (readOnly or writeOnly)", f"{where}.{name}")
            continue
        else:
            note("property in spec, not in docs", f"{where}.{name}")
            continue
        matched_gen.add(gname)
        in_spec, in_gen = name in spec_required, gname in gen_required
        if in_spec and not in_gen:
            note("required in spec, optional in docs", place)
        elif in_gen and not in_spec:
            note("optional in spec, required in docs", place)
        sd, gd = spec.describe(sub), gen.describe(gen_props[gname])
        _compare_values(note, sd, gd, place, field_ir)
        inner_spec, inner_gen = spec.inner(sub), gen.inner(gen_props[gname])
        raw = sub if not isinstance(sub, dict) or "$ref" not in sub else None  # inline spec objects only: a $ref is compared as its own model
        if raw is not None and isinstance(inner_spec, dict) and id(inner_spec) not in seen and depth < 8:
            if spec.object_parts(inner_spec) is not None and gen.object_parts(inner_gen) is not None:
                seen.add(id(inner_spec))
                _compare(folder, spec, gen, ir, inner_spec, inner_gen, f"{where}.{name}", seen, depth + 1)
    for gname in gen_props:
        if gname not in matched_gen:
            note("SDK's extra-keys row read as a field" if gname == "__pydantic_extra__" else "property in docs, not in spec", f"{where}.{gname}")


def _compare_values(note: Any, sd: Desc, gd: Desc, place: str, field_ir: dict[str, Any] | None, root: bool = False) -> None:
    """Types, formats, enum values and nullability of one property (or of a whole model: `root`,
    where nullability is left to the fields that use the model)."""
    if "any" not in gd.base and "any" not in sd.base and sd.base and gd.base:
        spec_base = sd.base if sd.enum is None or gd.enum is not None else sd.base
        if spec_base != gd.base and not (spec_base == {"integer"} and gd.base == {"number"}):
            note("type differs", f"{place}: spec {'|'.join(sorted(spec_base))}, docs {'|'.join(sorted(gd.base))}")
        elif sd.formats != gd.formats and "string" in spec_base:
            note("format differs (date-time, date)", f"{place}: spec {'|'.join(sorted(sd.formats)) or 'string'}, docs {'|'.join(sorted(gd.formats)) or 'string'}")
    if sd.enum is not None and gd.enum is not None:
        if {v for v in sd.enum if v is not None} != {v for v in gd.enum if v is not None}:
            extra = sorted(map(str, {v for v in sd.enum if v is not None} - gd.enum))[:3]
            note("enum values differ", f"{place}: spec also {extra}" if extra else f"{place}: docs have more")
    elif sd.enum is not None and gd.enum is None and "any" not in gd.base:
        note("enum in spec, plain type in docs", place)
    if root:
        return
    if sd.nullable and not gd.nullable and "any" not in gd.types:
        decided = (field_ir or {}).get("nullable_decided_by", "page" if field_ir else "setting")
        note("nullable in spec, not in docs (page decided)" if decided in ("page", "example") else "nullable in spec, not in docs (setting decided)", place)
    elif gd.nullable and not sd.nullable and "any" not in sd.types:
        note("nullable in docs, not in spec", place)


def _short(loc: str) -> str:
    parts = loc.split("/docs/", 1)
    return parts[1] if len(parts) == 2 else loc


# --- drawing and validating ---------------------------------------------------------------


class _Recursive(Exception):
    pass


def _to_json_schema(spec: Doc, schema: Any, formats: set[str], stack: tuple[str, ...] = (), close: bool = True) -> Any:
    """A spec schema as plain JSON Schema with every $ref inlined (raises _Recursive on a cycle).

    An object schema that says nothing of extra keys is closed (``additionalProperties: false``)
    unless it is a member of an ``allOf``: the spec allows extra keys, but drawing random ones is
    slow and tells nothing (the generated schemas accept extra keys unless a page types them)."""
    if isinstance(schema, list):
        return [_to_json_schema(spec, s, formats, stack, close) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        ref = schema["$ref"]
        if ref in stack:
            raise _Recursive(ref)
        target = spec.resolve({"$ref": ref})
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        if _constraining(rest):
            return {"allOf": [_to_json_schema(spec, target, formats, stack + (ref,), False), _to_json_schema(spec, rest, formats, stack, False)]}
        return _to_json_schema(spec, target, formats, stack + (ref,), close)
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("example", "examples", "description", "title", "discriminator", "xml", "externalDocs", "deprecated", "readOnly", "writeOnly", "nullable", "default") or key.startswith("x-"):
            continue
        if key == "format" and value not in formats:
            continue
        if key in ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"):
            out[key] = {str(k): _to_json_schema(spec, v, formats, stack) for k, v in value.items()} if isinstance(value, dict) else value
        elif key == "allOf":
            out[key] = _to_json_schema(spec, value, formats, stack, False)
        elif key in ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else", "unevaluatedProperties", "unevaluatedItems", "prefixItems", "anyOf", "oneOf"):
            out[key] = _to_json_schema(spec, value, formats, stack)
        else:
            out[key] = value
    if close and "properties" in out and "allOf" not in out and "additionalProperties" not in out and "patternProperties" not in out:
        out["additionalProperties"] = False
    if spec.openapi30 and schema.get("nullable") is True:
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        elif "type" not in out:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def _constraining(schema: dict[str, Any]) -> bool:
    return any(k not in ("description", "title", "example", "examples", "nullable", "deprecated", "readOnly", "writeOnly") and not k.startswith("x-") for k in schema) or schema.get("nullable") is True


def _draw(schema: dict[str, Any], examples: int, budget: float) -> list[Any]:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis_jsonschema import from_schema

    drawn: list[Any] = []
    started = time.monotonic()

    class Enough(Exception):
        pass

    @settings(derandomize=True, max_examples=examples, database=None, deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    @given(from_schema(schema))
    def run(value: Any) -> None:
        drawn.append(value)
        if time.monotonic() - started > budget:
            raise Enough

    try:
        run()
    except Enough:
        pass
    return drawn[:examples]


def _cause(errors: list[Any]) -> Any:
    """The error that says why: in a union, the member that came closest (fewest errors)."""
    if not errors:
        return None
    error = max(errors, key=relevance)
    while error.validator in ("anyOf", "oneOf") and error.context:
        members: dict[Any, list[Any]] = collections.defaultdict(list)
        for e in error.context:
            members[e.relative_schema_path[0]].append(e)
        not_null = [group for group in members.values() if not (len(group) == 1 and group[0].validator == "type" and group[0].validator_value == "null")]
        groups: list[list[Any]] = not_null or list(members.values())
        closest = min(groups, key=len)
        error = max(closest, key=relevance)
    return error


def _reason(error: Any) -> str:
    v = error.validator
    if v == "type" and error.instance is None:
        return "null where the docs take no null"
    if v == "type":
        return "a value of another type"
    if v == "required":
        keys = {_norm(str(k)) for k in error.instance} if isinstance(error.instance, dict) else set()
        missing = [str(n) for n in error.validator_value if isinstance(error.instance, dict) and n not in error.instance]
        if any(_norm(n) in keys for n in missing):
            return "a required property sent under another wire name (case, spelling)"
        return "a required property absent (renamed by the SDK, or optional in the spec)"
    if v in ("enum", "const"):
        return "a value outside the enum"
    if v == "format":
        return f"a string not in format {error.validator_value}"
    if v in ("additionalProperties", "unevaluatedProperties"):
        return "a property the docs do not take"
    if v in ("anyOf", "oneOf"):
        return "no union member takes it"
    return f"{v}"


def _measure(folder: Folder, path: Path, cli: dict[str, bool], examples: int, budget: float) -> None:
    from hypothesis_jsonschema._from_schema import STRING_FORMATS

    formats = set(STRING_FORMATS)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        _generate(folder, path, cli, out)
        generated = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "jsonschema").glob("*.json"))}
        ir_defs = json.loads((out / "ir.json").read_text(encoding="utf-8")).get("definitions", [])
    ir = {d.get("python_name", d["name"]): {f["wire_name"]: f for f in d.get("fields", ())} for d in ir_defs}
    raw = yaml.load((path / "openapi.yaml").read_text(encoding="utf-8"), Loader=_Loader)
    spec = Doc(raw, openapi30=str(raw.get("openapi", "")).startswith("3.0"))
    components: dict[str, Any] = raw.get("components", {}).get("schemas", {})
    folder.spec_schemas, folder.definitions = len(components), len(generated)
    by_norm: dict[str, str] = {}
    for name in generated:
        by_norm.setdefault(_norm(name), name)
    matched_docs: set[str] = set()
    for name, schema in components.items():
        doc_name = by_norm.get(_norm(str(name)))
        if doc_name is None:
            folder.unmatched_spec.append(str(name))
            d = spec.describe(schema)
            folder.unmatched_spec_kinds["object" if spec.object_parts(schema) is not None else "enum" if d.enum is not None else "union" if any(k in spec.resolve(schema) for k in ("anyOf", "oneOf")) else "scalar or array (no page expected)"] += 1
        elif _shape(spec, schema) != _shape(Doc(generated[doc_name]), generated[doc_name]):
            folder.unmatched_spec.append(str(name))
            folder.unmatched_spec_kinds["a page of that name is another shape (name clash)"] += 1
        else:
            folder.matched.append((str(name), doc_name))
            matched_docs.add(doc_name)
    folder.unmatched_docs = sorted(set(generated) - matched_docs)
    for spec_name, doc_name in folder.matched:
        gen = Doc(generated[doc_name])
        _compare(folder, spec, gen, ir, components[spec_name], generated[doc_name], doc_name, set())
    warnings.simplefilter("ignore")
    for spec_name, doc_name in folder.matched if examples > 0 else ():
        try:
            schema = _to_json_schema(spec, components[spec_name], formats)
        except _Recursive:
            folder.skipped["recursive $ref"] += 1
            continue
        if spec.describe(components[spec_name]).nullable:  # a model is an object, or an enum's values: null is the fields' business
            schema = {"allOf": [schema, {"not": {"const": None}}]}
        try:
            instances = _draw(schema, examples, budget)
        except Exception as problem:  # hypothesis-jsonschema cannot draw from it
            folder.skipped[f"hypothesis-jsonschema: {type(problem).__name__}"] += 1
            continue
        if not instances:
            folder.skipped["nothing drawn within the budget"] += 1
            continue
        folder.models_drawn += 1
        validator = Draft202012Validator(generated[doc_name], format_checker=Draft202012Validator.FORMAT_CHECKER)
        for instance in instances:
            folder.drawn += 1
            error = _cause(list(validator.iter_errors(instance)))
            if error is None:
                folder.accepted += 1
                continue
            reason = _reason(error)
            folder.rejections[reason] += 1
            where = "/".join(str(p) for p in error.absolute_path)
            if len(folder.rejection_places[reason]) < 4 and not any(p.startswith(f"{doc_name}:") for p in folder.rejection_places[reason]):
                folder.rejection_places[reason].append(f"{doc_name}:{where or '(root)'}: {error.message[:90]}")


# --- reporting ----------------------------------------------------------------------------


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.name


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "-"


def _report(results: list[Folder], cli: dict[str, bool], args: argparse.Namespace) -> str:
    kinds = list(KINDS)
    lines = [
        "# How close to the real API: docmodels against the OpenAPI specs",
        "",
        f"Measured by `benchmarks/fidelity.py` (settings `{_shown(args.settings)}`{'' if args.overrides else ', no per-field overrides'}), "
        f"up to {args.examples} instances per spec schema, {args.budget:g} s each. "
        f"This docmodels offers: open_enums {'yes' if cli['open_enums'] else 'no'}, nullable all {'yes' if cli['nullable_all'] else 'no'}.",
        "",
        "## Summary",
        "",
        "| folder | dialect | settings | spec schemas | definitions | matched | spec unmatched | docs unmatched | differences | models drawn | skipped | instances | accepted |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in results:
        s = f.settings
        setting = f"`wire_case={s['wire_case']}`, `nullable={s.get('nullable', 'optional')}`" + (f", `open_enums={s['open_enums']}`" if cli["open_enums"] and "open_enums" in s else "") + (f", overrides `{Path(s['overrides']).name}`" if "overrides" in s else "")
        lines.append(
            f"| `{f.name}` | {s.get('dialect', '')} | {setting} | {f.spec_schemas} | {f.definitions} | {len(f.matched)} | {len(f.unmatched_spec)} | {len(f.unmatched_docs)} | "
            f"{sum(f.differences.values())} | {f.models_drawn} | {sum(f.skipped.values())} | {f.drawn} | {_pct(f.accepted, f.drawn)} |"
        )
    drawn, accepted = sum(f.drawn for f in results), sum(f.accepted for f in results)
    lines += [f"| **all** | | | {sum(f.spec_schemas for f in results)} | {sum(f.definitions for f in results)} | {sum(len(f.matched) for f in results)} | "
              f"{sum(len(f.unmatched_spec) for f in results)} | {sum(len(f.unmatched_docs) for f in results)} | {sum(sum(f.differences.values()) for f in results)} | "
              f"{sum(f.models_drawn for f in results)} | {sum(sum(f.skipped.values()) for f in results)} | {drawn} | {_pct(accepted, drawn)} |", ""]
    lines += [
        "## Differences by kind",
        "",
        "Counted per property of each matched model, into the spec's inline objects. \"Docs carry it\" says whether the pages show the spec's fact "
        "(then docmodels should read it: a bug to fix) or not (then a setting or an override says it).",
        "",
        "| kind | " + " | ".join(f"`{f.name}`" for f in results) + " | docs carry it | what fixes it |",
        "| --- | " + " | ".join("---:" for _ in results) + " | --- | --- |",
    ]
    for kind in kinds:
        carry, fix = KINDS[kind]
        lines.append(f"| {kind} | " + " | ".join(str(f.differences[kind]) for f in results) + f" | {carry} | {fix} |")
    lines += ["", "## Rejections by reason", "", "Instances drawn from the spec schema that the generated JSON Schema rejects, by the reason of the best-matching error.", ""]
    reasons = sorted({r for f in results for r in f.rejections}, key=lambda r: -sum(f.rejections[r] for f in results))
    if reasons:
        lines += ["| reason | " + " | ".join(f"`{f.name}`" for f in results) + " |", "| --- | " + " | ".join("---:" for _ in results) + " |"]
        lines += [f"| {r} | " + " | ".join(str(f.rejections[r]) for f in results) + " |" for r in reasons]
    else:
        lines.append("None.")
    lines += ["", "## Wire names by case", "", "The case of every property name of the matched spec schemas; names in another case than the folder's `wire_case` are what that setting cannot turn out.", ""]
    cases = ["snake_case", "camelCase", "PascalCase", "one word", "other"]
    lines += ["| folder | " + " | ".join(cases) + " | first names in another case |", "| --- | " + " | ".join("---:" for _ in cases) + " | --- |"]
    for f in results:
        lines.append(f"| `{f.name}` | " + " | ".join(str(f.wire_cases[c]) for c in cases) + f" | {', '.join(f.off_case[:5]) or '-'} |")
    lines += ["", "## Per folder", ""]
    for f in results:
        lines += [f"### `{f.name}`", ""]
        lines.append(f"- unmatched spec schemas: {len(f.unmatched_spec)} (" + ", ".join(f"{k} {v}" for k, v in sorted(f.unmatched_spec_kinds.items())) + ")" + (f", e.g. {', '.join(f'`{n}`' for n in f.unmatched_spec[:6])}" if f.unmatched_spec else ""))
        lines.append(f"- unmatched docs definitions (inline objects and operations pages of the SDK): {len(f.unmatched_docs)}" + (f", e.g. {', '.join(f'`{n}`' for n in f.unmatched_docs[:6])}" if f.unmatched_docs else ""))
        if f.skipped:
            lines.append("- skipped spec schemas: " + ", ".join(f"{k} {v}" for k, v in sorted(f.skipped.items())))
        for kind in kinds:
            if f.places.get(kind):
                lines.append(f"- {kind} ({f.differences[kind]}): " + "; ".join(f.places[kind][:4]))
        for reason in sorted(f.rejections, key=lambda r: -f.rejections[r]):
            lines.append(f"- rejected, {reason} ({f.rejections[reason]}): " + "; ".join(f"`{p}`" for p in f.rejection_places[reason][:3]))
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
