"""The README's copy-paste snippets, run as a user would run them, in fresh folders: the pre-commit
config (real pre-commit, which installs docmodels into its own new environment) and the build-hook
pyproject (a real isolated build, which installs docmodels from git into its own), both against a
clone of this checkout carrying the release tag the README names, with only the repository URL
replaced; the Python API; and what "Set up and run" promises of the import package."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import docmodels

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGES = ROOT / "specs"
RELEASE_TAG = f"v{docmodels.__version__}"


def snippet(section: str, language: str) -> str:
    """The first ```language block under the heading `section`."""
    body = README.split(f"\n{section}\n", 1)[1]
    match = re.search(rf"```{language}\n(.*?)```", body, re.S)
    assert match, f"no {language} block under {section}"
    return match.group(1)


def project(tmp_path: Path) -> Path:
    shutil.copytree(PAGES, tmp_path / "specs")
    (tmp_path / "pyproject.toml").write_text('[tool.docmodels]\nroots = ["DetailedJobOut"]\nwire_case = "snake"\n', encoding="utf-8")
    return tmp_path


def run(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env={**os.environ, **env}, timeout=600)


def release_clone(tmp_path: Path) -> Path:
    """A clone of this checkout (its last commit) with the release tag on it. The README's `rev`
    and `@v...` name the release tag; a CI checkout may carry no tags, and a tag in this
    repository may name an older commit, so the clone gets it on the commit under test."""
    clone = tmp_path / "docmodels"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    subprocess.run(["git", "tag", "-f", RELEASE_TAG], cwd=clone, check=True, capture_output=True, timeout=60)
    return clone


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@needs_git
@pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None, reason="needs pre-commit")
def test_pre_commit_snippet(tmp_path: Path) -> None:
    config = snippet("## In pre-commit", "yaml")
    assert re.search(r"^\s*rev: (\S+)", config, re.M)[1] == RELEASE_TAG  # type: ignore[index]
    clone = release_clone(tmp_path)
    config = re.sub(r"repo: \S+", f"repo: {clone}", config)  # the URL only: the rev stays as written
    repo = project(tmp_path / "repo")
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    first = run(repo, sys.executable, "-m", "pre_commit", "run", "--all-files", **env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert re.search(r"docmodels check\.+Failed", first.stdout) and "missing: generated/models.py" in first.stdout
    assert re.search(r"docmodels generate\.+Failed", first.stdout) and "written: generated/models.py" in first.stdout

    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    second = run(repo, sys.executable, "-m", "pre_commit", "run", "--all-files", **env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert re.search(r"docmodels check\.+Passed", second.stdout)


def test_python_api_snippet(tmp_path: Path) -> None:
    repo = project(tmp_path)
    result = run(repo, sys.executable, "-c", snippet("### From Python: build scripts, nox, tox, CI", "python"))
    # The snippet generates, then checks an output folder that does not exist yet: stale.
    assert result.returncode == 1, result.stderr
    assert "10 definitions" in result.stdout and "models.py" in result.stdout
    assert "stale: ()" in result.stderr and "missing: (" in result.stderr
    assert (repo / "generated" / "models.py").is_file()


@needs_git
@pytest.mark.skipif(importlib.util.find_spec("build") is None, reason="needs the build package")
def test_build_step_snippet(tmp_path: Path) -> None:
    """`python -m build` as a user runs it: isolated, so the build environment gets hatchling and
    docmodels from `requires` (docmodels from git at the release tag), not from this one."""
    toml = snippet("## As a build step", "toml")
    requirement = re.search(r'"docmodels @ git\+(\S+)@(\S+)"', toml)
    assert requirement and requirement[2] == RELEASE_TAG, toml
    clone = release_clone(tmp_path)
    package = tmp_path / "mypkg-project"
    (package / "src" / "mypkg").mkdir(parents=True)
    (package / "src" / "mypkg" / "__init__.py").write_text("", encoding="utf-8")
    # file://localhost/...: pip's older URL check wants a host in a git+ URL.
    (package / "pyproject.toml").write_text(toml.replace(requirement[1], f"file://localhost{clone.as_posix()}"), encoding="utf-8")
    shutil.copytree(PAGES, package / "specs")
    result = run(package, sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "typing_extensions" not in result.stdout + result.stderr  # the snippet names it: no warning
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "site")
        metadata = archive.read("mypkg-1.0.dist-info/METADATA").decode()
    assert "Requires-Dist: typing-extensions>=4.0; python_version < '3.11'" in metadata.replace("typing_extensions", "typing-extensions")
    code = "from mypkg.models.models import MetricOut; print(MetricOut.from_dict({'train_loss': 0.5}).to_dict())"
    loaded = run(tmp_path, sys.executable, "-c", code, PYTHONPATH=str(tmp_path / "site"))
    assert loaded.stdout.strip() == "{'train_loss': 0.5}", loaded.stderr


def test_a_projects_own_generator_package_is_not_docmodels(tmp_path: Path) -> None:
    """The import package is `docmodels`: a project with its own `generator` package (on the path
    first, as the working folder is) runs docmodels and keeps its own `generator`."""
    repo = project(tmp_path)
    (repo / "generator").mkdir()
    (repo / "generator" / "__init__.py").write_text('WHOSE = "the project\'s own"\n', encoding="utf-8")
    ran = run(repo, sys.executable, "-m", "docmodels", "generate")
    assert ran.returncode == 0, ran.stderr
    assert (repo / "generated" / "models.py").is_file()
    code = "import docmodels, generator; print(generator.WHOSE); print(docmodels.__file__)"
    both = run(repo, sys.executable, "-c", code)
    assert both.returncode == 0, both.stderr
    whose, where = both.stdout.splitlines()
    assert whose == "the project's own"
    assert Path(where).parent != repo / "generator"


def test_version_has_one_source() -> None:
    """`docmodels.__version__` is the installed distribution's version: pyproject.toml takes it
    from generator/__init__.py (hatchling's dynamic version)."""
    assert docmodels.__version__ == importlib.metadata.version("docmodels")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^dynamic = \["version"\]', pyproject, re.M)
    assert re.search(r'^\[tool\.hatch\.version\]\npath = "generator/__init__\.py"$', pyproject, re.M)
    assert not re.search(r"^version = ", pyproject, re.M)
