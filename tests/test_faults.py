"""Faults, for real: links planted in the output and cache folders, a manifest that lists a
hand-written file, upgrades and edits the cache must not hide, signals sent to a real
`python -m docmodels generate` at many moments of its write phase, a parent killed under its
workers, runs that wait for the lock, FIFOs, a read-only folder and full disks (small tmpfs
mounts, where the test may mount; skipped with the reason elsewhere).

1. Nothing outside the output and cache folders is ever written, removed or followed; a file is
   removed only while it has the content docmodels wrote; anything else is exit 2, one line with
   the path, and nothing changed.
2. `check` never exits 0 where `check --no-cache` exits 1: after an upgrade of the templates or
   the parser, with a cache entry that records no inputs or some, after same-size edits that keep
   the old mtime (`touch -r`, `cp -p`, an archive).
3. Interrupted, killed and failing runs leave no temporary file a later run does not remove, each
   file old or new, nothing "edited by hand"; SIGINT is exit 130 and one line; workers die with
   their parent; a FIFO never hangs a run; a full or read-only output folder is exit 2, one line.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import docmodels
from docmodels import output
from pages import model_page, row, run_cli, snapshot, write_files

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = "[project]\nname = 'tmp'\n\n[tool.docmodels]\n"
INTERRUPTED = "docmodels: interrupted; run docmodels generate again"
MANIFEST = ".docmodels-manifest.json"
GENERATE = [sys.executable, "-m", "docmodels", "generate"]


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    """A copy of the repository's own pages with its settings, generated once."""
    base = tmp_path / "project"
    shutil.copytree(ROOT / "specs", base / "specs")
    write_files(base, {"pyproject.toml": PYPROJECT + 'roots = ["DetailedJobOut"]\nwire_case = "snake"\n'})
    first = run_cli(base, "generate")
    assert first.returncode == 0, first.stderr
    return base


def synthetic(base: Path, version: str, pages: int = 250) -> None:
    """`pages` pages that all link to one shared page, each description naming `version`: every
    output file differs between two versions."""
    files: dict[str, str | bytes] = {"specs/shared.md": model_page("Shared", row("id"), description=f"Version {version}.")}
    for i in range(pages):
        rows = [
            row("name"),
            row("count", "*number*", ":heavy_minus_sign:"),
            row("tags", "*string*[]", ":heavy_minus_sign:", "Tags."),
            row("shared", "[components.Shared](shared.md)", ":heavy_minus_sign:"),
        ]
        files[f"specs/model{i:03d}.md"] = model_page(f"Model{i:03d}", *rows, description=f"Version {version}.")
    write_files(base, files)


def one_line(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """The one line of a folder error: exit 2, no traceback, no bug report."""
    where = f"exit {result.returncode}\nstdout: {result.stdout[-2000:]}\nstderr: {result.stderr[-2000:]}"
    assert result.returncode == 2, where
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, where
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, where
    for fragment in fragments:
        assert fragment in lines[0], where
    return lines[0]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.name.endswith(".tmp"))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (links as their target's path), to see that nothing changed."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            found[rel] = path.read_bytes()
    return found


def edit(page: Path, old: str, new: str) -> None:
    text = page.read_text(encoding="utf-8")
    assert old in text, (page, old)
    page.write_text(text.replace(old, new, 1), encoding="utf-8")


# == 1. nothing outside the folders =====================================================================


def test_a_cache_folder_that_is_a_link_is_refused(seed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    write_files(elsewhere, {"keep.txt": "mine\n", "runs/keep.json": "{}\n", "parts.tsv": "mine\n"})
    shutil.rmtree(seed / ".docmodels-cache")
    (seed / ".docmodels-cache").symlink_to(elsewhere)
    edit(seed / "specs/models/components/metricout.md", "`trainLoss`", "`trainLossX`")
    before, out_before = tree(elsewhere), tree(seed / "generated")
    for command in ("check", "generate"):
        one_line(run_cli(seed, command), "docmodels: error: .docmodels-cache: is a symbolic link")
    assert tree(elsewhere) == before
    assert tree(seed / "generated") == out_before
    assert run_cli(seed, "generate", "--no-cache").returncode == 0  # the cache is only a cache


def test_a_link_inside_the_cache_folder_is_refused(seed: Path, tmp_path: Path) -> None:
    target = tmp_path / "victim.txt"
    target.write_text("mine\n", encoding="utf-8")
    gitignore = seed / ".docmodels-cache" / ".gitignore"
    gitignore.unlink()
    gitignore.symlink_to(target)
    edit(seed / "specs/models/components/metricout.md", "`trainLoss`", "`trainLossX`")  # the run writes the cache
    out_before = tree(seed / "generated")
    one_line(run_cli(seed, "generate"), ".docmodels-cache/.gitignore: is a symbolic link")
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert tree(seed / "generated") == out_before
    assert gitignore.is_symlink()


def test_a_linked_folder_in_the_output_folder_is_refused(seed: Path, tmp_path: Path) -> None:
    """`generated/jsonschema` links elsewhere, and the manifest lists files under it: nothing is
    written or removed there, by `generate` or `--force`, and `check` says so too."""
    out = seed / "generated"
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(out / "jsonschema", elsewhere)  # the same names, so the manifest entries match
    (elsewhere / "Notes.md").write_text("mine\n", encoding="utf-8")
    shutil.rmtree(out / "jsonschema")
    (out / "jsonschema").symlink_to(elsewhere)
    edit(seed / "specs/models/components/metricout.md", "`trainLoss`", "`trainLossX`")
    before, out_before = tree(elsewhere), tree(out)
    for args in (["check"], ["check", "--no-cache"], ["generate"], ["generate", "--force"], ["generate", "--no-cache"]):
        one_line(run_cli(seed, *args), "generated/jsonschema: is a symbolic link")
        assert tree(elsewhere) == before, args
        assert tree(out) == out_before, args


def test_a_linked_output_file_is_refused(seed: Path, tmp_path: Path) -> None:
    out = seed / "generated"
    victim = tmp_path / "victim.py"
    victim.write_text("mine\n", encoding="utf-8")
    (out / "models.py").unlink()
    (out / "models.py").symlink_to(victim)
    for args in (["check"], ["generate"], ["generate", "--force"]):
        one_line(run_cli(seed, *args), "generated/models.py: is a symbolic link")
        assert victim.read_text(encoding="utf-8") == "mine\n"
        assert (out / "models.py").is_symlink()


def test_an_output_folder_that_is_a_link_inside_the_project_is_refused(seed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(seed / "generated")
    (seed / "generated").symlink_to(elsewhere)  # a committed link
    one_line(run_cli(seed, "generate"), "docmodels: error: generated: is a symbolic link")
    assert list(elsewhere.iterdir()) == []
    outside = run_cli(seed, "generate", "-o", str(tmp_path / "named"))  # a folder named outside the project is used as named
    assert outside.returncode == 0, outside.stderr
    assert (tmp_path / "named" / "models.py").is_file()


def test_a_manifest_entry_for_a_hand_written_file_does_not_delete_it(seed: Path) -> None:
    out = seed / "generated"
    (out / "NOTES.md").write_text("# Our notes\n", encoding="utf-8")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["NOTES.md"] = "0" * 64  # listed, but docmodels never wrote that content
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    before = tree(out)
    checked = run_cli(seed, "check")
    assert checked.returncode == 1 and "extra: generated/NOTES.md" in checked.stdout.splitlines()
    refused = run_cli(seed, "generate")
    assert refused.returncode == 2, refused.stderr
    assert "generated/NOTES.md:1: error: this file is listed in the manifest but no longer has the content docmodels wrote" in refused.stderr
    assert tree(out) == before, "nothing is changed"
    forced = run_cli(seed, "generate", "--force")
    assert forced.returncode == 0 and not (out / "NOTES.md").exists()
    assert run_cli(seed, "check").returncode == 0


def test_a_link_planted_between_the_decision_and_the_write_is_refused(seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked at the moment of each write: a folder swapped for a link after the run decided
    what to write (here: after its first write) is refused, and nothing lands outside."""
    out = seed / "generated"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    edit(seed / "specs/models/components/metricout.md", "`trainLoss`", "`trainLossX`")  # MetricOut.json and the modules change
    real_write, writes = output.Folder.write, []

    def write_then_swap(self: output.Folder, rel: str, text: str) -> None:
        real_write(self, rel, text)
        writes.append(rel)
        if len(writes) == 1 and self.path == out:
            (out / "jsonschema").rename(tmp_path / "moved")
            (out / "jsonschema").symlink_to(elsewhere)

    monkeypatch.setattr(output.Folder, "write", write_then_swap)
    with pytest.raises(output.FolderError) as raised:
        docmodels.generate(seed, use_cache=False)
    assert raised.value.path == "generated/jsonschema"
    assert list(elsewhere.iterdir()) == []


# == 2. never stale output called fresh ==================================================================


def both_checks(base: Path, env: dict[str, str] | None = None) -> tuple[int, int]:
    warm = run_cli(base, "check", env=env)
    cold = run_cli(base, "check", "--no-cache", env=env)
    assert "Traceback" not in warm.stderr + cold.stderr, warm.stderr + cold.stderr
    return warm.returncode, cold.returncode


def test_an_upgrade_of_a_template_or_the_parser_is_seen(seed: Path, tmp_path: Path) -> None:
    """An installed docmodels whose built-in template, then parser, changed (a copy of the
    package, as an upgrade would leave it): `check` sees what `check --no-cache` sees."""
    installed = tmp_path / "installed"
    shutil.copytree(ROOT / "generator", installed / "docmodels", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", installed / "templates")
    env = {**os.environ, "PYTHONPATH": str(installed)}
    assert run_cli(seed, "generate", env=env).returncode == 0
    assert both_checks(seed, env) == (0, 0)

    macros = installed / "templates" / "_macros.jinja"
    edit(macros, "# Do not edit by hand", "# Do not edit this by hand")
    assert both_checks(seed, env) == (1, 1)
    assert run_cli(seed, "generate", env=env).returncode == 0
    assert both_checks(seed, env) == (0, 0)

    parser = installed / "docmodels" / "parse" / "__init__.py"
    with parser.open("a", encoding="utf-8") as f:  # the parser now reads every page a little differently
        f.write(
            "\n\nimport markdown_it as _markdown_it\n_parse_before = _markdown_it.MarkdownIt.parse\n\n\n"
            "def _parse_upgraded(self, src, env=None):\n"
            "    return _parse_before(self, src.replace('Loss on the', 'Loss (upgraded) on the'), env)\n\n\n"
            "_markdown_it.MarkdownIt.parse = _parse_upgraded\n"
        )
    assert both_checks(seed, env) == (1, 1)
    assert run_cli(seed, "generate", env=env).returncode == 0
    assert "Loss (upgraded) on the" in (seed / "generated" / "models.py").read_text(encoding="utf-8")
    assert both_checks(seed, env) == (0, 0)


def test_a_run_entry_that_records_no_inputs_or_some_is_not_trusted(seed: Path) -> None:
    runs = sorted((seed / ".docmodels-cache" / "runs").glob("*.json"))
    assert runs
    page = seed / "specs/models/components/metricout.md"
    edit(page, "`trainLoss`", "`trainLossX`")
    for mangle in ("empty", "partial", "not a list", "null hash"):
        for run in runs:
            entry = json.loads(run.read_text(encoding="utf-8"))
            inputs = entry["inputs"]
            if mangle == "empty":
                entry["inputs"] = {}
            elif mangle == "partial":
                entry["inputs"] = {p: fp for p, fp in inputs.items() if not p.endswith("metricout.md")}
            elif mangle == "not a list":
                entry["inputs"] = {p: (fp if not p.endswith("metricout.md") else "x") for p, fp in inputs.items()}
            else:
                entry["inputs"] = {p: (fp if not p.endswith("metricout.md") else [None, None, None]) for p, fp in inputs.items()}
            run.write_text(json.dumps(entry), encoding="utf-8")
        assert both_checks(seed) == (1, 1), mangle


def _settle_and_record(base: Path, mtime: float) -> None:
    """Pages and output files long unchanged (mtime an hour ago), and a cache that recorded them
    so: the state in which size and mtime would vouch for a file."""
    for path in [*base.rglob("*.md"), *(base / "generated").rglob("*")]:
        os.utime(path, (mtime, mtime))
    shutil.rmtree(base / ".docmodels-cache")
    assert run_cli(base, "generate").returncode == 0
    assert both_checks(base) == (0, 0)
    assert both_checks(base) == (0, 0)


def test_same_size_edits_that_keep_the_old_mtime_are_seen(seed: Path, tmp_path: Path) -> None:
    """`touch -r`, `cp -p` and an archive with fixed mtimes, on pages and output files long
    settled and recorded so in the cache: `check` sees every one, as `check --no-cache` does."""
    an_hour_ago = int(time.time()) - 3600
    page = seed / "specs/models/components/metricout.md"
    original = page.read_bytes()

    _settle_and_record(seed, an_hour_ago)
    edit(page, "`trainLoss`", "`trainLosX`")  # same size
    assert len(page.read_bytes()) == len(original)
    os.utime(page, (an_hour_ago, an_hour_ago))  # touch -r
    assert both_checks(seed) == (1, 1), "touch -r on a page"
    page.write_bytes(original)

    _settle_and_record(seed, an_hour_ago)
    models = seed / "generated" / "models.py"
    changed = tmp_path / "models.py"
    changed.write_text(models.read_text(encoding="utf-8").replace("class DetailedJobOut(rt.Model):", "class DetailedJobOuT(rt.Model):"), encoding="utf-8")
    os.utime(changed, (an_hour_ago, an_hour_ago))
    shutil.copy2(changed, models)  # cp -p
    warm = run_cli(seed, "check")
    assert warm.returncode == 1 and "edited by hand: generated/models.py" in warm.stdout.splitlines(), "cp -p over an output file"
    assert run_cli(seed, "check", "--no-cache").returncode == 1

    _settle_and_record(seed, an_hour_ago)
    archive = tmp_path / "pages.tar"
    staged = tmp_path / "metricout.md"
    staged.write_bytes(original.replace(b"`trainLoss`", b"`trainLosY`"))
    with tarfile.open(archive, "w") as tar:
        info = tar.gettarinfo(staged, arcname="metricout.md")
        info.mtime = an_hour_ago  # fixed mtimes, as reproducible archives have
        with staged.open("rb") as f:
            tar.addfile(info, f)
    with tarfile.open(archive) as tar:
        tar.extractall(page.parent, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    assert page.read_bytes() != original and page.stat().st_mtime == an_hour_ago
    assert both_checks(seed) == (1, 1), "an archive unpacked over a page"


def test_a_parts_file_cut_short_is_not_used(seed: Path) -> None:
    parts = seed / ".docmodels-cache" / "parts.tsv"
    data = parts.read_bytes()
    edit(seed / "specs/models/components/metricout.md", "`trainLoss`", "`trainLossX`")
    for cut in (data[: len(data) // 2], data[: data.rindex(b"\nend\t") + 1], data.replace(b'"', b"'", 1)):
        parts.write_bytes(cut)
        assert run_cli(seed, "generate").returncode == 0
        assert both_checks(seed) == (0, 0)


# == 3. interrupted, killed and failing runs ==============================================================


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """The output folder for each version of the synthetic pages, generated without the cache."""
    base = tmp_path_factory.mktemp("versions")
    write_files(base, {"pyproject.toml": PYPROJECT})
    found = {}
    for version in ("A", "B"):
        synthetic(base, version)
        result = run_cli(base, "generate", "-o", f"out-{version}", "--no-cache")
        assert result.returncode == 0, result.stderr
        found[version] = snapshot(base / f"out-{version}") or {}
    assert all(found["A"][p] != found["B"][p] for p in found["A"] if p.startswith("jsonschema/"))
    return found


def _wait_for_writes(process: subprocess.Popen[str], manifest: Path, before: int) -> bool:
    """Wait until the run starts writing (its first write is the manifest with the pending
    files); False when it ended first."""
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(FileNotFoundError):
            if manifest.stat().st_mtime_ns != before:
                return True
        time.sleep(0.0005)
    return False


def _signalled_runs(base: Path, versions: dict[str, dict[str, bytes]], signum: int, delays: list[float]) -> int:
    """One `generate` per delay, alternating versions, each sent `signum` that long after its write
    phase began; after each, every file is old or new (some version's), no run left a temporary
    file after SIGINT, and `check` calls nothing "edited by hand" and lists no temporary file.
    Returns how many runs were stopped while writing."""
    out = base / "generated"
    stopped = 0
    for i, delay in enumerate(delays):
        synthetic(base, "B" if i % 2 == 0 else "A")
        manifest = out / MANIFEST
        before = manifest.stat().st_mtime_ns
        process = subprocess.Popen(GENERATE, cwd=base, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        writing = _wait_for_writes(process, manifest, before)
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
        what = f"run {i}, delay {delay}: exit {process.returncode}\n{stderr[-3000:]}"
        assert writing or process.returncode == 0, what
        if process.returncode == 0:
            assert "Traceback" not in stderr, what
        elif signum == signal.SIGINT:
            assert process.returncode == 130, what
            assert stderr.splitlines() == [INTERRUPTED], what
            assert stdout == "", what
            stopped += 1
        else:
            assert process.returncode == -signum, what
            stopped += 1
        if signum == signal.SIGINT:
            assert leftovers(out) == [], what
        for path, data in (snapshot(out) or {}).items():
            if path.endswith(".tmp"):
                continue
            if path == MANIFEST:
                assert json.loads(data)["generator"] == "docmodels", what
                continue
            assert data in (versions["A"].get(path), versions["B"].get(path)), f"{what}\n{path} is neither old nor new"
        checked = run_cli(base, "check")
        assert checked.returncode in (0, 1), f"{what}\ncheck: {checked.stderr[-2000:]}"
        labels = [line for line in checked.stdout.splitlines() if line.split(":")[0] in ("stale", "edited by hand", "missing", "extra", "not written by docmodels")]
        assert not [line for line in labels if not line.startswith(("stale:", "missing:"))], f"{what}\n{labels}"
        assert ".tmp" not in "".join(labels), what
    return stopped


@pytest.fixture
def synthetic_project(tmp_path: Path) -> Path:
    base = tmp_path / "project"
    write_files(base, {"pyproject.toml": PYPROJECT})
    synthetic(base, "A")
    assert run_cli(base, "generate").returncode == 0
    return base


DELAYS = [0.0, 0.002, 0.005, 0.01, 0.02, 0.04, 0.07, 0.1]


def test_sigint_while_writing(synthetic_project: Path, versions: dict[str, dict[str, bytes]]) -> None:
    """Ctrl-C at many moments of the write phase: exit 130, one line, no temporary file left, each
    file old or new; the next run completes the job."""
    base = synthetic_project
    stopped = _signalled_runs(base, versions, signal.SIGINT, DELAYS)
    assert stopped >= 1, f"none of {len(DELAYS)} runs was stopped while writing"
    assert run_cli(base, "generate").returncode == 0
    assert both_checks(base) == (0, 0)
    assert snapshot(base / "generated") == versions["B" if len(DELAYS) % 2 else "A"]


def test_sigkill_while_writing(synthetic_project: Path, versions: dict[str, dict[str, bytes]]) -> None:
    """SIGKILL at many moments of the write phase: what it leaves (each file old or new, perhaps a
    temporary file) is never reported as output nor as edited by hand; the next `generate` removes
    the temporary files of every earlier run and completes the job."""
    base = synthetic_project
    stopped = _signalled_runs(base, versions, signal.SIGKILL, DELAYS)
    assert stopped >= 1, f"none of {len(DELAYS)} runs was killed while writing"
    out = base / "generated"
    (out / "jsonschema" / ".Model001.json.999999.tmp").write_text("{", encoding="utf-8")  # some other pid's
    assert run_cli(base, "generate").returncode == 0
    assert leftovers(out) == []
    assert both_checks(base) == (0, 0)
    assert snapshot(out) == versions["B" if len(DELAYS) % 2 else "A"]


def _frames_in_docmodels(stderr: str) -> list[str]:
    """Traceback lines that name a module of docmodels' own past `generator/__init__.py` (whose
    imports, like Python's own start-up before it, run before any code of docmodels can set a
    handler)."""
    return [line for line in stderr.splitlines() if line.strip().startswith("File ") and "/generator/" in line and "/generator/__init__.py" not in line]


def test_sigint_during_start_up_prints_no_traceback(seed: Path) -> None:
    runs = []
    for delay in [0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2]:
        process = subprocess.Popen(GENERATE, cwd=seed, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
        runs.append((delay, process.returncode, stderr))
        assert _frames_in_docmodels(stderr) == [], (delay, stderr)
        assert "internal error" not in stderr, (delay, stderr)
        if "Traceback" not in stderr:  # else stopped before docmodels' code ran (and exit -2)
            assert process.returncode in (0, 130, -signal.SIGINT), (delay, process.returncode, stderr)
        if process.returncode == 130:
            assert stderr.splitlines() == [INTERRUPTED], (delay, stderr)
    assert any(code == 130 for _, code, _ in runs), runs
    assert leftovers(seed / "generated") == [] and leftovers(seed / ".docmodels-cache") == []
    assert both_checks(seed) == (0, 0)


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                stat_line = Path(f"/proc/{entry}/stat").read_text()
                if int(stat_line.rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker processes")
def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    """The parsing workers of a run killed with SIGKILL die with it: none is left running, and the
    caller's pipes reach end of file (a CI step does not hang)."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: docmodels starts no workers")
    base = tmp_path / "project"
    write_files(base, {"pyproject.toml": PYPROJECT})
    synthetic(base, "A", pages=400)
    process = subprocess.Popen([*GENERATE, "--no-cache"], cwd=base, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: set[int] = set()
    deadline = time.monotonic() + 30
    while not workers and process.poll() is None and time.monotonic() < deadline:
        workers = _children(process.pid)
        time.sleep(0.002)
    assert workers, "the run started no workers"
    time.sleep(0.05)
    workers |= _children(process.pid)
    process.kill()
    try:
        process.communicate(timeout=20)  # end of file on both pipes: nobody holds them
    except subprocess.TimeoutExpired:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        pytest.fail(f"the pipes stayed open after the parent was killed: workers {sorted(workers)}")
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)], "workers outlived their parent"


@pytest.mark.parametrize("to", ["the process", "its process group"])
def test_ctrl_c_while_parsing_stops_the_workers(tmp_path: Path, to: str) -> None:
    """Ctrl-C while workers parse (sent to the run, or to its whole process group as a terminal
    does): exit 130 and one line, no worker's traceback, no worker left."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: docmodels starts no workers")
    base = tmp_path / "project"
    write_files(base, {"pyproject.toml": PYPROJECT})
    synthetic(base, "A", pages=400)
    for delay in (0.0, 0.05, 0.15):
        process = subprocess.Popen([*GENERATE, "--no-cache"], cwd=base, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        workers: set[int] = set()
        deadline = time.monotonic() + 30
        while not workers and process.poll() is None and time.monotonic() < deadline:
            workers = _children(process.pid)
            time.sleep(0.002)
        time.sleep(delay)
        workers |= _children(process.pid)
        if to == "the process":
            process.send_signal(signal.SIGINT)
        else:
            os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
        if process.returncode == 0:
            continue  # it finished first
        assert process.returncode == 130, (delay, process.returncode, stderr[-3000:])
        assert stderr.splitlines() == [INTERRUPTED], (delay, stderr[-3000:])
        time.sleep(0.2)
        assert not [pid for pid in workers if _alive(pid)], "workers outlived the interrupted run"
        assert not (base / "generated").exists(), "an interrupted parse writes nothing"


def test_a_run_waiting_for_the_lock_decides_after_it(seed: Path) -> None:
    """A `generate` started while another holds the folder decides what to write once it holds
    the lock: a file removed meanwhile is written back."""
    out = seed / "generated"
    assert run_cli(seed, "check").returncode == 0  # the cache answers this run: nothing would be parsed
    fd = os.open(out, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        waiting = subprocess.Popen(GENERATE, cwd=seed, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        assert waiting.poll() is None, "generate ran while the folder was locked"
        (out / "models.py").unlink()
    finally:
        os.close(fd)
    stdout, stderr = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, stderr
    assert "1 written" in stdout, stdout
    assert both_checks(seed) == (0, 0)


FIFOS = ["generated/models.py", "generated/jsonschema/MetricOut.json", f"generated/{MANIFEST}", ".docmodels-cache/parts.tsv", ".docmodels-cache/.gitignore", ".docmodels-cache/runs/RUN"]


@pytest.mark.parametrize("where", FIFOS)
def test_a_fifo_never_hangs_a_run(seed: Path, where: str) -> None:
    if where.endswith("RUN"):
        where = next((seed / ".docmodels-cache" / "runs").glob("*.json")).relative_to(seed).as_posix()
    (seed / where).unlink()
    os.mkfifo(seed / where)
    edit(seed / "specs/models/components/metricout.md", "`trainLoss`", "`trainLossX`")  # the run reads and writes the cache
    for command in ("check", "generate"):
        result = run_cli(seed, command, timeout=30)  # a hang fails here
        one_line(result, f"docmodels: error: {where}: is a FIFO")
    assert (seed / where).is_fifo()


def test_fifos_elsewhere_are_left_alone(seed: Path) -> None:
    os.mkfifo(seed / "generated" / "notes.fifo")
    os.mkfifo(seed / "generated" / ".models.py.4242.tmp")  # named like a leftover, but no file: never opened
    assert both_checks(seed) == (0, 0)
    page = seed / "specs/models/components/metricout.md"
    page.unlink()
    os.mkfifo(page)  # a page replaced by a FIFO: the cache does not open it
    result = run_cli(seed, "check", timeout=30)
    assert result.returncode == 2 and "metricout.md" in result.stderr and "Traceback" not in result.stderr


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[None]:
    """A small tmpfs mounted at `where`, or a skip saying why there cannot be one."""
    where.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None:
        pytest.skip("no mount command: cannot make a small file system")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({made.stderr.strip() or 'not permitted'}): needs root or CAP_SYS_ADMIN")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount(where: Path, options: str) -> None:
    result = subprocess.run(["mount", "-o", f"remount,{options}", str(where)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_full_output_disk_is_an_environment_error(tmp_path: Path, versions: dict[str, dict[str, bytes]]) -> None:
    """Output 1.5 MB, disk 1 MB: exit 2 and one line naming a path and the cause; no temporary
    file; what was written is docmodels' own; with room again, the next run completes."""
    base = tmp_path / "project"
    write_files(base, {"pyproject.toml": PYPROJECT})
    synthetic(base, "A")
    out = base / "generated"
    with tmpfs(out, "1m"):
        full = run_cli(base, "generate")
        line = one_line(full, "No space left on device")
        assert line.startswith("docmodels: error: generated/"), line
        assert leftovers(out) == [] and leftovers(base / ".docmodels-cache") == []
        checked = run_cli(base, "check")
        assert checked.returncode == 1 and "edited by hand" not in checked.stdout
        remount(out, "size=16m")
        assert run_cli(base, "generate").returncode == 0
        assert both_checks(base) == (0, 0)
        assert snapshot(out) == versions["A"]


def test_a_full_cache_disk_only_slows_runs(tmp_path: Path, versions: dict[str, dict[str, bytes]]) -> None:
    base = tmp_path / "project"
    write_files(base, {"pyproject.toml": PYPROJECT})
    synthetic(base, "A")
    cache_folder = base / ".docmodels-cache"
    with tmpfs(cache_folder, "64k"):
        for _ in range(3):
            result = run_cli(base, "generate")
            assert result.returncode == 0, result.stderr
            assert leftovers(cache_folder) == []
        assert snapshot(base / "generated") == versions["A"]
        assert both_checks(base) == (0, 0)


def test_a_read_only_output_folder_is_an_environment_error(seed: Path) -> None:
    out = seed / "generated"
    edit(seed / "specs/models/components/metricout.md", "`trainLoss`", "`trainLossX`")
    if os.geteuid() != 0:  # chmod is enough for anyone but root
        os.chmod(out, 0o555)
        try:
            before = tree(out)
            one_line(run_cli(seed, "generate"), "docmodels: error: generated/", "Permission denied")
            assert tree(out) == before
        finally:
            os.chmod(out, 0o755)
        return
    saved = tree(out)
    shutil.rmtree(out)
    with tmpfs(out, "4m"):  # root ignores permissions: a read-only mount instead
        for rel, data in saved.items():
            write_files(out, {rel: data})
        remount(out, "ro")
        before = tree(out)
        one_line(run_cli(seed, "generate"), "docmodels: error: generated/", "Read-only file system")
        assert tree(out) == before
        assert run_cli(seed, "check").returncode == 1  # check writes nothing: it works on a read-only folder
        remount(out, "rw")
        assert run_cli(seed, "generate").returncode == 0
        assert both_checks(seed) == (0, 0)
