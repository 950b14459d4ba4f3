"""The output layouts as an application uses them: `layout = "package"` (a module per definition,
imported on first use, cycles included), the package root's exports, one runtime shared by two
generated packages, and the page list kept in the manifest rather than in every file."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pages import model_page, row, run_cli, snapshot, write_files

# Alpha -> Beta -> Gamma; Delta stands alone; Egg <-> Fowl reference each other (a cycle of
# modules); Choice is a union of Egg and Gamma; Mood an enum.
PAGES = {
    "docs/alpha.md": model_page("Alpha", row("beta", "[components.Beta](beta.md)"), row("mood", "[components.Mood](mood.md)", ":heavy_minus_sign:")),
    "docs/beta.md": model_page("Beta", row("gamma", "[components.Gamma](gamma.md)[]")),
    "docs/gamma.md": model_page("Gamma", row("name")),
    "docs/delta.md": model_page("Delta", row("count", "*number*")),
    "docs/egg.md": model_page("Egg", row("fowl", "[components.Fowl](fowl.md)", ":heavy_minus_sign:")),
    "docs/fowl.md": model_page("Fowl", row("egg", "[components.Egg](egg.md)", ":heavy_minus_sign:"), row("choice", "[components.Choice](choice.md)", ":heavy_minus_sign:")),
    "docs/choice.md": "# Choice\n\n\n## Supported Types\n\n### `components.Egg`\n\n```typescript\nconst value: components.Egg = {};\n```\n\n### `components.Gamma`\n\n```typescript\nconst value: components.Gamma = {\n  name: \"x\",\n};\n```\n",
    "docs/mood.md": "# Mood\n\n## Example Usage\n\n```typescript\nimport { Mood } from \"x\";\n\nlet value: Mood = \"happy\";\n```\n\n## Values\n\n```typescript\n\"happy\" | \"sad\"\n```\n",
}


def _project(base: Path, layout: str = "package", extra: str = "") -> Path:
    write_files(base, {"pyproject.toml": f'[tool.docmodels]\nspecs = ["docs"]\nout = "out"\nlayout = "{layout}"\n{extra}', **PAGES})
    result = run_cli(base, "generate")
    assert result.returncode == 0, result.stderr
    return base


def _python(cwd: Path, code: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("layout"))


def test_the_package_layout_writes_a_module_per_definition(package: Path) -> None:
    files = sorted(p.relative_to(package / "out").as_posix() for p in (package / "out").rglob("*.py"))
    modules = ["alpha", "beta", "choice", "delta", "egg", "fowl", "gamma", "mood"]
    assert files == sorted(["__init__.py", "_runtime.py", *(f"{t}/{m}.py" for t in ("models", "typeddicts") for m in ["__init__", *modules])])


def test_importing_one_model_loads_only_what_it_references(package: Path) -> None:
    code = """
        import sys
        from out.{target} import {name}
        print(sorted(m for m in sys.modules if m.startswith("out.{target}.")))
    """
    loaded = lambda target, name: json.loads(_python(package, code.format(target=target, name=name)).replace("'", '"'))  # noqa: E731
    for target in ("models", "typeddicts"):
        assert loaded(target, "Alpha") == [f"out.{target}.{m}" for m in ("alpha", "beta", "gamma", "mood")]
        assert loaded(target, "Delta") == [f"out.{target}.delta"]
        # A cycle: Egg's module imports Fowl's, which imports Egg's back and Choice's (and Gamma's).
        assert loaded(target, "Fowl") == [f"out.{target}.{m}" for m in ("choice", "egg", "fowl", "gamma")]


def test_the_package_works_as_one_module_would(package: Path) -> None:
    out = _python(
        package,
        """
        import dataclasses
        import out
        import out.models as models
        from out import UNSET, Unset, ValidationError
        from out.models import *  # every name of __all__

        fowl = Fowl.from_dict({"egg": {"fowl": {}}, "choice": {"name": "g"}})
        assert fowl == Fowl(egg=Egg(fowl=Fowl()), choice=Gamma(name="g"))
        assert fowl != Fowl() and fowl.to_dict() == {"egg": {"fowl": {}}, "choice": {"name": "g"}}
        assert repr(Gamma(name="g")) == "Gamma(name='g', additional_properties={})"
        assert dataclasses.is_dataclass(Fowl) and dataclasses.replace(fowl, egg=UNSET).egg is UNSET
        assert isinstance(choice_from_dict({"fowl": {}}), Egg)
        try:
            hash(Gamma(name="g"))
        except TypeError:
            pass
        else:
            raise AssertionError("a model is equal by value, so it must not be hashable")
        try:
            Alpha.from_dict({"beta": {"gamma": [{}]}})
        except ValidationError as exc:
            print(exc)
        assert isinstance(UNSET, Unset) and out.__all__ == ["UNSET", "Unset", "ValidationError"]
        assert sorted(models.__all__) == sorted(["Alpha", "Beta", "Choice", "Delta", "Egg", "Fowl", "Gamma", "Mood", "choice_from_dict"])
        assert set(models.__all__) <= set(dir(models))
        try:
            models.Nothing
        except AttributeError as exc:
            assert "Nothing" in str(exc)
        else:
            raise AssertionError("an unknown name must raise AttributeError")
        """,
    )
    assert out.startswith("beta.gamma[0].name:"), out


def test_the_package_is_mypy_strict_clean_for_its_users(package: Path) -> None:
    """Type checkers see every name of the lazy `__init__` (its TYPE_CHECKING imports)."""
    (package / "app.py").write_text(
        textwrap.dedent(
            """
            from out import UNSET, ValidationError
            from out.models import Alpha, Fowl, choice_from_dict
            from out.typeddicts import Alpha as AlphaDict

            def load(data: AlphaDict) -> Alpha:
                return Alpha.from_dict(data)

            fowl: Fowl = Fowl(egg=UNSET)
            errors: tuple[type[Exception], ...] = (ValidationError,)
            choice = choice_from_dict({})
            """
        ),
        encoding="utf-8",
    )
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "app.py", "out"], cwd=package, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_headers_name_their_page_and_the_manifest_lists_them_all(package: Path, tmp_path: Path) -> None:
    out = package / "out"
    assert (out / "models" / "gamma.py").read_text(encoding="utf-8").startswith("# Generated by docmodels from docs/gamma.md.\n")
    assert "docs/" not in (out / "models" / "__init__.py").read_text(encoding="utf-8")
    manifest = json.loads((out / ".docmodels-manifest.json").read_text(encoding="utf-8"))
    assert manifest["sources"] == sorted(PAGES)

    # A new page changes only its own files, the package __init__s and the manifest.
    base = _project(tmp_path / "project")
    before = snapshot(base / "out")
    write_files(base, {"docs/epsilon.md": model_page("Epsilon", row("x"))})
    assert run_cli(base, "generate").returncode == 0
    after = snapshot(base / "out")
    assert before is not None and after is not None
    changed = sorted(p for p in after if before.get(p) != after[p])
    assert changed == [".docmodels-manifest.json", "jsonschema/Epsilon.json", "models/__init__.py", "models/epsilon.py", "typeddicts/__init__.py", "typeddicts/epsilon.py"]


def test_the_module_layout_lists_no_pages_either(tmp_path: Path) -> None:
    base = _project(tmp_path, layout="module")
    text = (base / "out" / "models.py").read_text(encoding="utf-8")
    assert text.startswith("# Generated by docmodels from the pages listed in .docmodels-manifest.json.\n")
    assert "docs/" not in text.split('"""')[0]


def test_two_packages_can_share_one_runtime(tmp_path: Path) -> None:
    """The second package takes its helpers from the first's `_runtime`: one ValidationError and
    one UNSET for the whole application, and no second runtime module."""
    first = _project(tmp_path / "first")
    second = tmp_path / "second"
    write_files(second, {"pyproject.toml": '[tool.docmodels]\nspecs = ["docs"]\nout = "api_b"\nruntime = "api_a._runtime"\n', "docs/delta.md": PAGES["docs/delta.md"]})
    assert run_cli(second, "generate").returncode == 0
    assert not (second / "api_b" / "_runtime.py").exists()
    (first / "out").rename(tmp_path / "api_a")
    (second / "api_b").rename(tmp_path / "api_b")
    _python(
        tmp_path,
        """
        import api_a, api_b
        from api_b.models import Delta
        assert api_b.ValidationError is api_a.ValidationError and api_b.UNSET is api_a.UNSET
        try:
            Delta.from_dict({"count": "three"})
        except api_a.ValidationError:
            pass
        """,
    )
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "api_a", "api_b"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ('layout = "packages"', "pyproject.toml:5: error: layout = 'packages'; expected one of: module, package"),
        ('runtime = "api-a._runtime"', "pyproject.toml:5: error: runtime = 'api-a._runtime'; expected the dotted name of an importable module, such as 'myapp.models._runtime'"),
        ('runtime = "api.class"', "pyproject.toml:5: error: runtime = 'api.class'; expected the dotted name of an importable module, such as 'myapp.models._runtime'"),
    ],
)
def test_bad_layout_settings_are_errors(tmp_path: Path, setting: str, expected: str) -> None:
    write_files(tmp_path, {"pyproject.toml": f'[tool.docmodels]\nspecs = ["docs"]\nout = "out"\n\n{setting}\n', "docs/delta.md": PAGES["docs/delta.md"]})
    result = run_cli(tmp_path, "generate")
    assert result.returncode == 2
    assert expected in result.stderr.splitlines(), result.stderr
    assert not (tmp_path / "out").exists()
