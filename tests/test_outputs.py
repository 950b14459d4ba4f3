"""Several outputs from one pyproject.toml (`[[tool.docmodels.output]]`): the commands, the
pre-commit hooks and the build hook run every one; settings are checked, at their lines, before
any output is written."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml

import docmodels
from pages import model_page, row, run_cli, snapshot, write_files
from test_hatch import build_wheel, the_wheel
from test_precommit import LOCAL_HOOKS, Repo

TWO_OUTPUTS = """\
[project]
name = "shop"
version = "1"

[tool.docmodels]
wire_case = "snake"

[[tool.docmodels.output]]
specs = ["docs/pets"]
out = "src/shop/pets"

[[tool.docmodels.output]]
specs = ["docs/orders"]
out = "src/shop/orders"
layout = "package"
runtime = "shop.pets._runtime"
"""
PAGES = {
    "docs/pets/pet.md": model_page("Pet", row("petName")),
    "docs/orders/order.md": model_page("Order", row("orderId", "*number*")),
}


def _project(base: Path, pyproject: str = TWO_OUTPUTS) -> Path:
    write_files(base, {"pyproject.toml": pyproject, "src/shop/__init__.py": "", **PAGES})
    return base


def test_generate_and_check_run_every_output(tmp_path: Path) -> None:
    base = _project(tmp_path)
    generated = run_cli(base, "generate")
    assert generated.returncode == 0, generated.stderr
    lines = generated.stdout.splitlines()
    assert [line.split(";")[1].split(":")[0].strip() for line in lines] == ["src/shop/pets", "src/shop/orders"], lines
    assert (base / "src/shop/pets/models.py").is_file() and (base / "src/shop/orders/models/order.py").is_file()
    assert not (base / "src/shop/orders/_runtime.py").exists()  # it takes the pets' runtime
    assert run_cli(base, "check").returncode == 0

    # One output goes stale: check fails for it alone, and says which.
    write_files(base, {"docs/orders/order.md": model_page("Order", row("orderId", "*string*"))})
    stale = run_cli(base, "check")
    assert stale.returncode == 1, stale.stdout
    assert "docmodels: src/shop/pets is up to date" in stale.stdout
    assert "stale: src/shop/orders/models/order.py" in stale.stdout
    assert stale.stdout.splitlines()[-1].startswith("docmodels: src/shop/orders is out of date")

    # -o picks one output, with its own settings.
    only = run_cli(base, "generate", "-o", "src/shop/orders")
    assert only.returncode == 0, only.stderr
    assert len(only.stdout.splitlines()) == 1 and "src/shop/orders: 4 written" in only.stdout, only.stdout
    assert run_cli(base, "check").returncode == 0


def test_the_api_runs_every_output_or_the_one_named(tmp_path: Path) -> None:
    base = _project(tmp_path)
    results = docmodels.generate_all(base)
    assert [r.out for r in results] == [base / "src/shop/pets", base / "src/shop/orders"]
    assert [bool(r.changes) for r in docmodels.check_all(base)] == [False, False]
    assert docmodels.check(base, out="src/shop/pets").out == base / "src/shop/pets"
    with pytest.raises(docmodels.InputError) as caught:
        docmodels.generate(base)
    assert [str(p) for p in caught.value.problems] == [
        "docmodels: error: the project has 2 outputs ([[tool.docmodels.output]]); expected out (-o) naming one of them "
        "('src/shop/pets', 'src/shop/orders'); docmodels.generate_all and check_all run every one"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # A bad value in the second output: its line, and the first output is not written either.
        (('layout = "package"', 'layout = "pkg"'), 'pyproject.toml:15: error: layout = \'pkg\'; expected one of: module, package'),
        (('runtime = "shop.pets._runtime"', 'colour = "red"'), "pyproject.toml:16: error: unknown key 'colour' in [[tool.docmodels.output]]; expected one of: "),
        (('out = "src/shop/orders"', 'out = "src/shop/pets/orders"'), "pyproject.toml:14: error: out = 'src/shop/pets/orders' overlaps the out of an earlier output; expected a folder of its own"),
        (('wire_case = "snake"', 'wire_case = "kebab"'), "pyproject.toml:6: error: wire_case = 'kebab'; expected one of: as-is, snake, camel"),
    ],
)
def test_bad_settings_in_any_output_write_nothing(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    base = _project(tmp_path, TWO_OUTPUTS.replace(*change))
    result = run_cli(base, "generate")
    assert result.returncode == 2
    problems = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(problems) == 1 and problems[0].startswith(expected), result.stderr
    assert snapshot(base / "src/shop") == {"__init__.py": b""}


def test_outputs_that_are_not_tables_are_an_error(tmp_path: Path) -> None:
    base = _project(tmp_path, '[tool.docmodels]\noutput = ["docs"]\n')
    result = run_cli(base, "generate")
    assert result.returncode == 2
    assert "pyproject.toml:2: error: output = ['docs']; expected one or more [[tool.docmodels.output]] tables" in result.stderr.splitlines()


def test_an_out_that_is_none_of_the_outputs_is_an_error(tmp_path: Path) -> None:
    result = run_cli(_project(tmp_path), "check", "-o", "elsewhere")
    assert result.returncode == 2
    assert "docmodels: error: out = 'elsewhere' is none of the project's outputs; expected one of: 'src/shop/pets', 'src/shop/orders'" in result.stderr.splitlines()


def test_the_pre_commit_hooks_check_every_output(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", ["docmodels-check"])
    repo.write("pyproject.toml", TWO_OUTPUTS)
    for rel, text in {"src/shop/__init__.py": "", **PAGES}.items():
        repo.write(rel, text)
    repo.docmodels("generate")
    first = repo.commit("two outputs")
    assert first.returncode == 0, first.stdout
    repo.write("docs/orders/order.md", model_page("Order", row("orderId", "*string*")))
    stale = repo.commit("order ids are text")
    assert stale.returncode != 0 and re.search(r"docmodels check\.+Failed", stale.stdout), stale.stdout
    assert "stale: src/shop/orders/models/order.py" in stale.stdout
    assert yaml.safe_load((repo.path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"] == [LOCAL_HOOKS["docmodels-check"]]


def test_the_build_hook_generates_every_output(tmp_path: Path) -> None:
    pyproject = TWO_OUTPUTS.replace(
        '[tool.docmodels]',
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        '[tool.hatch.build.targets.wheel]\npackages = ["src/shop"]\n\n[tool.hatch.build.hooks.docmodels]\n\n[tool.docmodels]',
    )
    base = _project(tmp_path / "proj", pyproject)
    built = build_wheel(base)
    assert built.returncode == 0, built.stdout + built.stderr
    with zipfile.ZipFile(the_wheel(base)) as archive:
        names = set(archive.namelist())
    assert {"shop/pets/models.py", "shop/pets/_runtime.py", "shop/orders/models/order.py", "shop/orders/models/__init__.py"} <= names, sorted(names)
