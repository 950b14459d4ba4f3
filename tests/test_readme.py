"""The README's copy-paste snippets, run as a user would run them: the pre-commit config (against a
clone of this checkout), the Python API, and the build-hook pyproject."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGES = ROOT / "specs"


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


@pytest.mark.skipif(shutil.which("git") is None or importlib.util.find_spec("pre_commit") is None, reason="needs git and pre-commit")
def test_pre_commit_snippet(tmp_path: Path) -> None:
    # The snippet names this repository by URL and a release; a clone of this checkout stands in.
    clone = tmp_path / "docmodels"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=clone, capture_output=True, text=True, check=True).stdout.strip()
    config = snippet("## In pre-commit", "yaml")
    config = re.sub(r"repo: \S+", f"repo: {clone}", config)
    config = re.sub(r"rev: \S+", f"rev: {rev}", config)
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


@pytest.mark.skipif(importlib.util.find_spec("build") is None, reason="needs the build package")
def test_build_step_snippet(tmp_path: Path) -> None:
    package = tmp_path / "mypkg-project"
    (package / "src" / "mypkg").mkdir(parents=True)
    (package / "src" / "mypkg" / "__init__.py").write_text("", encoding="utf-8")
    toml = snippet("## As a build step", "toml")
    (package / "pyproject.toml").write_text('[project]\nname = "mypkg"\nversion = "1.0"\n\n' + toml, encoding="utf-8")
    shutil.copytree(PAGES, package / "specs")
    result = run(package, sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist"))
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "site")
    code = "from mypkg.models.models import MetricOut; print(MetricOut.from_dict({'train_loss': 0.5}).to_dict())"
    loaded = run(tmp_path, sys.executable, "-c", code, PYTHONPATH=str(tmp_path / "site"))
    assert loaded.stdout.strip() == "{'train_loss': 0.5}", loaded.stderr
