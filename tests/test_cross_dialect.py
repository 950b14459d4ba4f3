"""One API read from the docs of several SDK languages gives the same models: the same wire
property names (after `wire_case`), the same required set, and the same types and nullability
wherever both dialects carry the fact.

Latitude.sh comes as TypeScript, Python and Go docs, Mollie as Go and Java docs, each generated
from a nearby but not identical version of the API's spec, so a few models differ for real (the
newer docs have fields the older lack). The test bounds that drift and lists, with a reason,
each kind of difference a dialect cannot avoid. Operation request and response wrappers
(`operations/` pages) are left out of the comparison: each SDK shapes those its own way."""

from __future__ import annotations

import collections
import itertools
from pathlib import Path

import pytest

from docmodels import ir
from docmodels.config import Settings
from docmodels.resolve import load_schema

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent: the cross-dialect test needs it")

# API -> (folders in one language each, the API's wire case, the least share of the models both
# docs define that must have exactly the same properties: drift between the spec versions).
APIS = {
    "latitudesh": (("ts-latitudesh", "python-latitudesh", "go-latitudesh"), "snake", 0.8),
    "mollie": (("go-mollie", "java-mollie"), "camel", 0.98),
}
# What one dialect cannot tell, so the types differ with no fault of either page.
CANNOT_TELL = {
    ("number", "integer"): "TypeScript writes every JSON number as *number*; Python, Go, Java say integer",
}
# Of the properties both docs have, the largest share allowed to differ otherwise (spec drift).
DRIFT = 0.01


def _shape(t: ir.TypeExpr, by_name: dict[str, ir.Definition]) -> str:
    """A type as a dialect-neutral shape: references by kind, since docs of different languages
    may name the same inline model differently."""
    if isinstance(t, ir.Primitive):
        return t.kind
    if isinstance(t, ir.Array):
        return f"[{_shape(t.item, by_name)}]"
    if isinstance(t, ir.Map):
        return f"{{{_shape(t.value, by_name)}}}"
    if isinstance(t, ir.Ref):
        return type(by_name[t.name]).__name__.lower()
    if isinstance(t, ir.LiteralValue):
        return "literal"
    return "one-of"


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict[str, ir.Definition]]:
    loaded = {}
    for folders, wire_case, _ in APIS.values():
        for folder in folders:
            schema, _ = load_schema([CORPUS / folder], (), Settings(wire_case=wire_case), CORPUS)
            loaded[folder] = {d.name: d for d in schema.definitions}
    return loaded


PAIRS = [(api, a, b) for api, (folders, _, _) in APIS.items() for a, b in itertools.combinations(folders, 2)]


@pytest.mark.parametrize(("api", "a", "b"), PAIRS, ids=[f"{a}-vs-{b}" for _, a, b in PAIRS])
def test_same_models_across_dialects(schemas: dict[str, dict[str, ir.Definition]], api: str, a: str, b: str) -> None:
    left, right = schemas[a], schemas[b]
    common = sorted(
        n
        for n, d in left.items()
        if isinstance(d, ir.Model) and isinstance(right.get(n), ir.Model) and "/operations/" not in d.loc.path + right[n].loc.path
    )
    assert len(common) >= 150, f"only {len(common)} models in common"
    same_properties = 0
    compared = 0
    drift: collections.Counter[str] = collections.Counter()
    explained: collections.Counter[str] = collections.Counter()
    for name in common:
        l_fields = {f.wire_name: f for f in left[name].fields}  # type: ignore[union-attr]
        r_fields = {f.wire_name: f for f in right[name].fields}  # type: ignore[union-attr]
        same_properties += set(l_fields) == set(r_fields)
        for key in sorted(set(l_fields) & set(r_fields)):
            compared += 1
            x, y = l_fields[key], r_fields[key]
            if x.required != y.required:
                drift[f"required {name}.{key}"] += 1
            shapes = (_shape(x.type, left), _shape(y.type, right))
            if shapes[0] != shapes[1]:
                if shapes in CANNOT_TELL or shapes[::-1] in CANNOT_TELL:
                    explained[f"{shapes[0]} vs {shapes[1]}"] += 1
                else:
                    drift[f"type {name}.{key}: {shapes[0]} vs {shapes[1]}"] += 1
            if x.nullable_decided_by == y.nullable_decided_by == "page" and x.nullable != y.nullable:
                drift[f"nullable {name}.{key}"] += 1
    share = same_properties / len(common)
    minimum = APIS[api][2]
    assert share >= minimum, f"{same_properties} of {len(common)} models have the same properties ({share:.0%}; at least {minimum:.0%} expected)"
    assert sum(drift.values()) <= DRIFT * compared, f"{sum(drift.values())} of {compared} properties differ: {sorted(drift)[:20]}"
