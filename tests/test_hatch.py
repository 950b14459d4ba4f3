"""The hatchling build hook: building a package that uses docmodels generates its models into the wheel.

docmodels is not on PyPI, so the packages are built without isolation, with the hatchling and the
docmodels of this environment (the hook is found through docmodels' `hatch` entry point)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pages import line_of, page

pytest.importorskip("hatchling")
pytest.importorskip("build")

PET = page(
    """
    # Pet

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `petName` | *string* | :heavy_check_mark: | What the pet answers to. |
    | `owner` | [components.Owner](owner.md) | :heavy_minus_sign: | Who feeds it. |
    """
)
OWNER = page(
    """
    # Owner

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `id` | *number* | :heavy_check_mark: | The owner's id. |
    """
)


def make_package(root: Path, hook_table: str = "", out: str = "src/tinypkg/models_gen") -> Path:
    root.mkdir()
    (root / "pyproject.toml").write_text(
        page(
            """
            [build-system]
            requires = ["hatchling", "docmodels"]
            build-backend = "hatchling.build"

            [project]
            name = "tinypkg"
            version = "0.1.0"

            [tool.hatch.build.targets.wheel]
            packages = ["src/tinypkg"]

            [tool.docmodels]
            specs = ["specs"]
            out = "OUT"
            wire_case = "snake"

            [tool.hatch.build.hooks.docmodels]
            """
        ).replace("OUT", out)
        + hook_table
        + "\n",
        encoding="utf-8",
    )
    # The generated folder is git-ignored, as it would be in a real project: it must ship anyway.
    (root / ".gitignore").write_text("src/tinypkg/models_gen/\nsrc/tinypkg/other_gen/\n", encoding="utf-8")
    package = root / "src" / "tinypkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""A tiny package with generated models."""\n', encoding="utf-8")
    specs = root / "specs"
    specs.mkdir()
    (specs / "pet.md").write_text(PET, encoding="utf-8")
    (specs / "owner.md").write_text(OWNER, encoding="utf-8")
    return root


def build_wheel(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(root / "dist"), str(root)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


def the_wheel(root: Path) -> Path:
    wheels = sorted((root / "dist").glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_build_generates_models_into_the_wheel(tmp_path: Path) -> None:
    root = make_package(tmp_path / "proj")
    assert not (root / "src" / "tinypkg" / "models_gen").exists()

    built = build_wheel(root)
    assert built.returncode == 0, built.stdout + built.stderr

    wheel = the_wheel(root)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert len(names) == len(set(names)), f"duplicate entries: {sorted(names)}"
        for name in ("models.py", "typeddicts.py", "_runtime.py", "__init__.py", "jsonschema/Pet.json"):
            assert f"tinypkg/models_gen/{name}" in names, names
        assert not any(name.startswith(("src/", "specs/")) for name in names), names
        record = archive.read(next(n for n in names if n.endswith(".dist-info/RECORD"))).decode()
        assert "tinypkg/models_gen/models.py," in record
        site = tmp_path / "site"
        archive.extractall(site)

    sample = {"pet_name": "Rex", "owner": {"id": 7}}
    code = (
        "import json, sys\n"
        "from tinypkg.models_gen.models import Pet\n"
        "data = json.loads(sys.argv[1])\n"
        "pet = Pet.from_dict(data)\n"
        "assert pet.pet_name == 'Rex' and pet.owner.id == 7, pet\n"
        "assert pet.to_dict() == data, pet.to_dict()\n"
        "print(type(pet).__module__)\n"
    )
    # Only the unpacked wheel on the path: neither the project folder nor this repository.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")} | {"PYTHONPATH": str(site)}
    ran = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r})\n" + code, json.dumps(sample)], cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.strip() == "tinypkg.models_gen.models"


def test_bad_page_fails_the_build_with_its_problems(tmp_path: Path) -> None:
    root = make_package(tmp_path / "proj")
    broken = PET + "| `age` | *nunber* | :heavy_minus_sign: | Years. |\n"
    (root / "specs" / "pet.md").write_text(broken, encoding="utf-8")

    built = build_wheel(root)
    output = built.stdout + built.stderr
    assert built.returncode != 0, output
    assert re.search(rf"^specs/pet\.md:{line_of(broken, 'nunber')}: error: unknown type 'nunber'", output, re.M), output
    assert "docmodels: 1 error, 0 warnings; nothing more was generated" in output
    assert not (root / "src" / "tinypkg" / "models_gen").exists(), "bad input must write nothing"
    assert not list((root / "dist").glob("*.whl")) if (root / "dist").exists() else True


def test_hook_table_overrides_the_config(tmp_path: Path) -> None:
    root = make_package(tmp_path / "proj", hook_table='out = "src/tinypkg/other_gen"\ntargets = ["dataclasses"]')

    built = build_wheel(root)
    assert built.returncode == 0, built.stdout + built.stderr

    with zipfile.ZipFile(the_wheel(root)) as archive:
        names = archive.namelist()
    assert "tinypkg/other_gen/models.py" in names, names
    assert "tinypkg/other_gen/typeddicts.py" not in names, names
    assert not any("models_gen" in name for name in names), names


def test_bad_hook_setting_fails_the_build(tmp_path: Path) -> None:
    root = make_package(tmp_path / "proj", hook_table='wire-case = "kebab"')

    built = build_wheel(root)
    output = built.stdout + built.stderr
    assert built.returncode != 0, output
    assert "wire-case = 'kebab'; expected one of: as-is, snake, camel" in output, output


# --- typing_extensions on Python 3.10 -----------------------------------------------------------


def test_build_warns_when_python_310_lacks_typing_extensions(tmp_path: Path) -> None:
    """A package whose requires-python admits 3.10 and whose dependencies do not name
    typing_extensions builds, with one warning at the line of requires-python (typeddicts.py
    imports NotRequired from it there)."""
    root = make_package(tmp_path / "proj")
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8").replace('version = "0.1.0"\n', 'version = "0.1.0"\nrequires-python = ">=3.9"\n')
    pyproject.write_text(text, encoding="utf-8")

    built = build_wheel(root)
    output = built.stdout + built.stderr
    assert built.returncode == 0, output
    line = line_of(text, "requires-python")
    warning = f"pyproject.toml:{line}: warning: requires-python = \">=3.9\" admits Python 3.10, where the generated typeddicts.py imports NotRequired from typing_extensions"
    assert output.count(warning) == 1, output


@pytest.mark.parametrize(
    ("project", "warned"),
    [
        ('requires-python = ">=3.10"', True),
        ('requires-python = ">=3.8, <3.12"', True),
        ('requires-python = "~=3.9"', True),
        ('requires-python = "==3.10.*"', True),
        ('requires-python = ">=3.11"', False),
        ('requires-python = "~=3.11.2"', False),
        ('requires-python = "<3.10"', False),
        ('requires-python = ">=3.9,!=3.10.*"', False),
        ('requires-python = ">=3.10"\ndependencies = ["typing_extensions>=4.0; python_version < \'3.11\'"]', False),
        ('requires-python = ">=3.10"\ndependencies = ["Typing-Extensions"]', False),
        ('requires-python = ">=3.10"\n[project.optional-dependencies]\ntyping = ["typing-extensions"]', False),
        ('requires-python = ">=3.10"\ndependencies = ["typing_extensions_plus"]', True),
        ('requires-python = ">=3.10"\ndynamic = ["dependencies"]', False),
        ("", False),  # nothing says which Python: no line to point at
    ],
)
def test_typing_extensions_warning(tmp_path: Path, project: str, warned: bool) -> None:
    from docmodels import api

    text = f'[project]\nname = "p"\n{project}\n\n[tool.docmodels]\nspecs = ["specs"]\n'
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    config = api.load_config(tmp_path, {})
    assert config.problems == ()
    assert [(w.loc.line, w.kind) for w in config.warnings] == ([(line_of(text, "requires-python"), "typing-extensions")] if warned else [])
    assert api.load_config(tmp_path, {"targets": ["dataclasses", "jsonschema"]}).warnings == ()  # no typeddicts.py, no warning
