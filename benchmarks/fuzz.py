"""Fuzz the generated runtime harder than the tests do, and time from_dict / to_dict.

Usage, from the repository root (``../shared/corpus`` beside it; the test extras installed)::

    .venv/bin/python benchmarks/fuzz.py                      # mistral-py, 100 examples per model
    .venv/bin/python benchmarks/fuzz.py --examples 1000 --seed 7
    .venv/bin/python benchmarks/fuzz.py --folder ../shared/corpus/python-gusto-appint

The folder is generated into a temporary directory (``--wire-case snake``) and imported. Every
definition's reader (each model's ``from_dict``, each union's ``..._from_dict``, each enum's
converter) gets ``--examples`` hypothesis examples of arbitrary JSON, shaped by the folder's wire
names and enum values and with hostile leaves (10,000-deep arrays and objects, a 5,000-digit
integer, NaN, the infinities, a long string): the same strategies as
``tests/test_runtime_fuzz.py``, which runs a few per model. A reader must return or raise the
generated ValidationError, and what it returns must dump back to the same JSON; anything else is
printed as a failure (exit code 1).

Then every example the folder's pages carry is read with ``from_dict`` and written back with
``to_dict``, repeatedly; the best of ``--runs`` is printed.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import json
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.test_runtime_fuzz import PACKAGE, Corpus, expand, json_values, read_and_write_back  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, default=ROOT.parent / "shared" / "corpus" / "mistral-py")
    parser.add_argument("--examples", type=int, default=100, help="hypothesis examples per definition (default 100)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=50, help="timed runs over the pages' examples (default 50)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "docmodels", "generate", str(args.folder.resolve()), "-o", PACKAGE, "--wire-case", "snake"],
            cwd=tmp,
            check=True,
            capture_output=True,
        )
        print(f"generated {args.folder.name} in {time.perf_counter() - started:.1f} s")
        sys.path.insert(0, tmp)
        corpus = Corpus(importlib.import_module(f"{PACKAGE}.models"), importlib.import_module(f"{PACKAGE}._runtime"), Path(tmp) / PACKAGE)
        # The runtime raises Python's recursion limit on the first recursive value it reads;
        # hypothesis warns when that happens inside a test.
        warnings.filterwarnings("ignore", "The recursion limit will not be reset")
        failures = fuzz(corpus, args.examples, args.seed)
        time_examples(corpus, args.runs)
    return 1 if failures else 0


def fuzz(corpus: Corpus, examples: int, random_seed: int) -> int:
    keys, scalars = corpus.vocabulary()
    values = json_values(keys, scalars)
    shaped = st.dictionaries(st.sampled_from(keys), values, max_size=6)
    outcomes: collections.Counter[str] = collections.Counter()
    failures: list[tuple[str, BaseException]] = []
    slowest: list[tuple[float, str]] = []
    targets = corpus.targets()
    started = time.perf_counter()
    for name, read in targets:
        test = seed(random_seed)(settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))(given(values | shaped)(checker(corpus, read, outcomes))))
        begun = time.perf_counter()
        try:
            test()
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append((name, exc))
        slowest.append((time.perf_counter() - begun, name))
    elapsed = time.perf_counter() - started
    total = outcomes["read"] + outcomes["refused"]
    print(
        f"fuzzed {len(targets):,} definitions, {examples} examples each: {total:,} values"
        f" ({outcomes['read']:,} read, {outcomes['refused']:,} refused with ValidationError)"
        f" in {elapsed:.1f} s; {len(failures)} definition(s) failed"
    )
    for seconds, name in sorted(slowest, reverse=True)[:3]:
        print(f"  slowest: {name} {seconds:.2f} s")
    for name, exc in failures[:20]:
        print(f"  FAILED {name}: {type(exc).__name__}: {str(exc)[:300]}")
    return len(failures)


def checker(corpus: Corpus, read: Callable[[Any], Any], outcomes: collections.Counter[str]) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        outcomes["read" if read_and_write_back(corpus, read, expand(value)) else "refused"] += 1

    return check


def time_examples(corpus: Corpus, runs: int) -> None:
    pairs = []
    for path in sorted((corpus.folder / "jsonschema").glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        found = [(path.stem, e) for e in document.get("examples", [])]
        found += [(p["$ref"].removeprefix("#/$defs/"), e) for p in document.get("properties", {}).values() if "$ref" in p for e in p.get("examples", [])]
        for name, example in found:
            cls = getattr(corpus.models, name, None)
            if hasattr(cls, "from_dict"):
                pairs.append((cls, example))
    loaded = [cls.from_dict(example) for cls, example in pairs]
    best_in = best_out = float("inf")
    for _ in range(runs):
        begun = time.perf_counter()
        for cls, example in pairs:
            cls.from_dict(example)
        best_in = min(best_in, time.perf_counter() - begun)
        begun = time.perf_counter()
        for model in loaded:
            model.to_dict()
        best_out = min(best_out, time.perf_counter() - begun)
    each = 1e6 / max(len(pairs), 1)
    print(
        f"the pages' {len(pairs):,} examples, best of {runs}: from_dict {best_in * 1e3:.2f} ms"
        f" ({best_in * each:.2f} us each), to_dict {best_out * 1e3:.2f} ms ({best_out * each:.2f} us each)"
    )


if __name__ == "__main__":
    sys.exit(main())
