"""The pre-commit hooks this repository ships (`.pre-commit-hooks.yaml`), run by real `git commit`s.

A temporary git repository gets two linked pages, a `[tool.docmodels]` table and a
`.pre-commit-config.yaml` whose `repo: local` hooks are the shipped ones with `language: system`
and this interpreter instead of the hook's own virtualenv (no network, no install: fast).
`test_local_hooks_match_shipped` keeps the two definitions the same, so the commits below exercise
what other repositories get with `repo: <this repository>`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pages import page

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / ".pre-commit-hooks.yaml"

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(
        importlib.util.find_spec("pre_commit") is None,
        reason="pre-commit is not installed (pip install -e '.[test]')",
    ),
]

# The shipped hooks as `repo: local` hooks run by this interpreter, which has docmodels installed.
FILES = r"(\.md|(^|/)pyproject\.toml|\.ya?ml|\.jinja)$"
PYTHON = shlex.quote(sys.executable)
LOCAL_HOOKS = {
    "docmodels-check": {
        "id": "docmodels-check",
        "name": "docmodels check",
        "entry": f"{PYTHON} -m docmodels check",
        "language": "system",
        "pass_filenames": False,
        "always_run": False,
        "files": FILES,
    },
    "docmodels-generate": {
        "id": "docmodels-generate",
        "name": "docmodels generate",
        "entry": f"{PYTHON} -m docmodels generate --fail-on-change",
        "language": "system",
        "pass_filenames": False,
        "always_run": False,
        "files": FILES,
    },
}

PET = page(
    """
    # Pet

    A pet and who looks after it.

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `name` | *string* | :heavy_check_mark: | The pet's name. |
    | `owner` | [components.Owner](./owner.md) | :heavy_minus_sign: | Who looks after the pet. |
    """
)
OWNER = page(
    """
    # Owner

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `fullName` | *string* | :heavy_check_mark: | The owner's name. |
    | `pets` | [components.Pet](./pet.md)[] | :heavy_minus_sign: | The owner's pets. |
    """
)
PYPROJECT = '[project]\nname = "pets"\n\n[tool.docmodels]\nspecs = ["specs"]\nout = "generated"\n'


def shipped_hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))}


class Repo:
    """A temporary git repository with docmodels pages and pre-commit installed as its hook."""

    def __init__(self, path: Path, hook_ids: list[str]) -> None:
        self.path = path
        # Nothing of the caller's git or pre-commit setup leaks in (global config, a hooksPath,
        # GIT_DIR when pytest itself runs inside a git hook, the user's pre-commit cache, SKIP).
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT")) and k != "SKIP"}
        self.env.update(
            GIT_CONFIG_GLOBAL=os.devnull,
            GIT_CONFIG_NOSYSTEM="1",
            PRE_COMMIT_HOME=str(path.parent / "pre-commit-home"),
            PRE_COMMIT_COLOR="never",
        )
        path.mkdir()
        self.git("init", "-q")
        self.git("config", "user.name", "Test")
        self.git("config", "user.email", "test@example.com")
        self.git("config", "commit.gpgsign", "false")
        config = {"repos": [{"repo": "local", "hooks": [LOCAL_HOOKS[i] for i in hook_ids]}]}
        self.write(".pre-commit-config.yaml", yaml.safe_dump(config, sort_keys=False))
        self.write("pyproject.toml", PYPROJECT)
        self.write("specs/pet.md", PET)
        self.write("specs/owner.md", OWNER)
        self.run(sys.executable, "-m", "pre_commit", "install")

    def write(self, rel: str, text: str) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = (self.path / rel).read_text(encoding="utf-8")
        assert old in text
        self.write(rel, text.replace(old, new))

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            args, cwd=self.path, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, encoding="utf-8", timeout=120,
        )  # fmt: skip
        if check:
            assert result.returncode == 0, f"{shlex.join(args)} exited {result.returncode}:\n{result.stdout}"
        return result

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("git", *args, check=check)

    def docmodels(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "docmodels", *args)

    def commit(self, message: str) -> subprocess.CompletedProcess[str]:
        """`git add -A` and `git commit`, with the pre-commit hook; does not assert success."""
        self.git("add", "-A")
        return self.git("commit", "-m", message, check=False)

    def commits(self) -> int:
        result = self.git("rev-list", "--count", "HEAD", check=False)
        return int(result.stdout) if result.returncode == 0 else 0

    def status(self) -> str:
        return self.git("status", "--porcelain", "--untracked-files=all").stdout


# --- the shipped hook definitions -------------------------------------------------------------


def test_shipped_manifest_is_valid() -> None:
    subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(SHIPPED)], check=True, timeout=60)
    hooks = shipped_hooks()
    assert set(hooks) == {"docmodels-check", "docmodels-generate"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        assert hook["always_run"] is False
        files = re.compile(hook["files"])  # pre-commit matches with re.search on repo-relative paths
        for path in ["specs/models/pet.md", "pyproject.toml", "sub/pyproject.toml", "overrides.yaml", "o.yml", "templates/dataclasses/models.py.jinja"]:
            assert files.search(path), path
        for path in ["notes.txt", "generated/models.py", "generated/jsonschema/Pet.json", "mypyproject.toml"]:
            assert not files.search(path), path
    assert shlex.split(hooks["docmodels-check"]["entry"]) == ["docmodels", "check"]


def test_local_hooks_match_shipped() -> None:
    """The hooks the commit tests run are the shipped ones: same id, files, pass_filenames and
    always_run, and the same command line once `docmodels` / `python` (the hook virtualenv's) are
    read as this interpreter."""
    as_this_interpreter = {"docmodels": [sys.executable, "-m", "docmodels"], "python": [sys.executable]}
    for hook_id, shipped in shipped_hooks().items():
        local = LOCAL_HOOKS[hook_id]
        for key in ("id", "name", "files", "pass_filenames", "always_run"):
            assert local[key] == shipped[key], (hook_id, key)
        program, *args = shlex.split(shipped["entry"])
        assert shlex.split(local["entry"]) == [*as_this_interpreter[program], *args], hook_id


# --- commits through the hooks ----------------------------------------------------------------


def test_check_hook_on_commit(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", ["docmodels-check"])
    repo.docmodels("generate")
    repo.git("add", "-A")
    passed = repo.run(sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert re.search(r"docmodels check\.+Passed", passed.stdout), passed.stdout

    first = repo.commit("models and generated code")
    assert first.returncode == 0, first.stdout
    assert re.search(r"docmodels check\.+Passed", first.stdout), first.stdout
    assert repo.commits() == 1 and repo.status() == ""

    # A spec changes, the generated code does not: the commit is refused, with the diff.
    repo.edit("specs/pet.md", "| `name` | *string* |", "| `name` | *number* |")
    stale = repo.commit("pet names are numbers now")
    assert stale.returncode != 0, stale.stdout
    assert re.search(r"docmodels check\.+Failed", stale.stdout), stale.stdout
    assert "stale: generated/models.py" in stale.stdout
    assert "-    name: str\n" in stale.stdout and "+    name: float\n" in stale.stdout
    assert "docmodels: generated is out of date" in stale.stdout
    assert repo.commits() == 1
    assert repo.status() == "M  specs/pet.md\n"  # check wrote nothing

    # Regenerated, it goes through.
    repo.docmodels("generate")
    fixed = repo.commit("pet names are numbers now")
    assert fixed.returncode == 0, fixed.stdout
    assert re.search(r"docmodels check\.+Passed", fixed.stdout), fixed.stdout
    assert repo.commits() == 2 and repo.status() == ""

    # A commit without specs, config, overrides or templates does not run the hook at all...
    repo.write("notes.txt", "unrelated\n")
    unrelated = repo.commit("notes")
    assert unrelated.returncode == 0, unrelated.stdout
    assert re.search(r"docmodels check\.+\(no files to check\)Skipped", unrelated.stdout), unrelated.stdout
    assert repo.commits() == 3

    # ...and bad input fails it with file:line problems (exit 2), writing nothing.
    repo.edit("specs/owner.md", "| `fullName` | *string* |", "| `fullName` | *strng* |")
    bad = repo.commit("typo")
    assert bad.returncode != 0, bad.stdout
    assert re.search(r"- exit code: 2\b", bad.stdout), bad.stdout
    assert re.search(r"^specs/owner\.md:\d+: error: unknown type 'strng'", bad.stdout, re.M), bad.stdout
    assert repo.commits() == 3
    assert repo.status() == "M  specs/owner.md\n"


def test_generate_hook_on_commit(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", ["docmodels-generate"])

    # Nothing generated yet: every file the hook writes is new and untracked, which pre-commit's
    # own "files were modified" check (a `git diff`) does not see; the hook must fail by itself.
    first = repo.commit("models")
    assert first.returncode != 0, first.stdout
    assert re.search(r"docmodels generate\.+Failed", first.stdout), first.stdout
    assert re.search(r"- exit code: 1\b", first.stdout), first.stdout
    assert "generated: 7 written" in first.stdout
    assert repo.commits() == 0
    assert (repo.path / "generated" / "models.py").is_file()

    again = repo.commit("models and generated code")
    assert again.returncode == 0, again.stdout
    assert re.search(r"docmodels generate\.+Passed", again.stdout), again.stdout
    assert repo.commits() == 1 and repo.status() == ""

    # A spec changes: the hook rewrites the generated code and fails; the rewrite is left in the
    # working tree to be reviewed and added.
    repo.edit("specs/pet.md", "| `name` | *string* |", "| `name` | *number* |")
    stale = repo.commit("pet names are numbers now")
    assert stale.returncode != 0, stale.stdout
    assert re.search(r"docmodels generate\.+Failed", stale.stdout), stale.stdout
    assert "written: generated/models.py" in stale.stdout.splitlines()
    assert re.search(r"generated: \d+ written", stale.stdout), stale.stdout
    assert repo.commits() == 1
    assert " M generated/models.py\n" in repo.status()
    assert "name: float" in (repo.path / "generated" / "models.py").read_text(encoding="utf-8")

    fixed = repo.commit("pet names are numbers now")
    assert fixed.returncode == 0, fixed.stdout
    assert repo.commits() == 2 and repo.status() == ""

    # Only an unrelated file: skipped.
    repo.write("notes.txt", "unrelated\n")
    unrelated = repo.commit("notes")
    assert unrelated.returncode == 0, unrelated.stdout
    assert re.search(r"docmodels generate\.+\(no files to check\)Skipped", unrelated.stdout), unrelated.stdout


# --- the lowest black docmodels allows, in a real hook environment ------------------------------

BLACK_BLOCKS = ROOT / "tests" / "fixtures" / "black_blocks.json"
# Run by pre-commit in the hook's own environment (its `python`): that environment's docmodels and
# black format every recorded block, and the digests go to a file for the test to compare.
PROBE = """\
import hashlib, json, sys
import black
import docmodels
from docmodels.format import _black_block

blocks = json.load(open(sys.argv[1], encoding="utf-8"))
digests = [hashlib.sha256(str(_black_block(b)).encode()).hexdigest() for b in blocks]
json.dump({"black": black.__version__, "docmodels": docmodels.__file__, "digests": digests}, open("probe.json", "w"))
"""


def black_range() -> tuple[str, str]:
    """The `black>=LOW,<HIGH` of docmodels' dependencies."""
    found = re.search(r'"black>=([\w.]+),<([\w.]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert found, "pyproject.toml: expected a dependency black>=LOW,<HIGH"
    return found[1], found[2]


def test_lowest_black_writes_the_same_bytes(tmp_path: Path) -> None:
    """docmodels depends on a range of black. The shipped docmodels-check hook, installed by
    pre-commit from a clone of this checkout into a new environment with the range's lowest black
    (`additional_dependencies`, as a user pins one), passes on this repository's committed pages
    and output; and in that environment every block the corpus sends to black
    (tests/fixtures/black_blocks.json, see benchmarks/black_blocks.py) comes out byte for byte as
    this environment's black (the suite's, the range's highest pip picks) formats it."""
    import hashlib

    from docmodels.format import _black_block

    lowest, _ = black_range()
    clone = tmp_path / "docmodels"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=clone, capture_output=True, text=True, check=True).stdout.strip()
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("specs", "generated"):
        shutil.copytree(clone / name, repo / name)
    shutil.copyfile(clone / "pyproject.toml", repo / "pyproject.toml")
    (repo / "probe.py").write_text(PROBE, encoding="utf-8")
    pinned = [f"black=={lowest}"]
    hooks = [
        {"id": "docmodels-check", "additional_dependencies": pinned},
        {"id": "docmodels-check", "alias": "black-probe", "name": "black probe", "entry": f"python probe.py {BLACK_BLOCKS}", "always_run": True, "additional_dependencies": pinned},
    ]
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": str(clone), "rev": rev, "hooks": hooks}]}, sort_keys=False), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT")) and k != "SKIP"}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), PRE_COMMIT_COLOR="never")
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, timeout=60)

    ran = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert re.search(r"docmodels check\.+Passed", ran.stdout), ran.stdout
    probe = json.loads((repo / "probe.json").read_text(encoding="utf-8"))
    assert probe["black"] == lowest
    assert Path(probe["docmodels"]).is_relative_to(tmp_path / "pre-commit-home"), probe["docmodels"]  # installed, not this checkout
    blocks = json.loads(BLACK_BLOCKS.read_text(encoding="utf-8"))
    here = [hashlib.sha256(str(_black_block(b)).encode()).hexdigest() for b in blocks]
    differing = [blocks[i].split("\n", 1)[0] for i, (a, b) in enumerate(zip(probe["digests"], here)) if a != b]
    import black

    assert differing == [], f"black {lowest} and black {black.__version__} format {len(differing)} of {len(blocks)} blocks differently"
