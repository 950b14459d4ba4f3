"""`docmodels watch` on real file changes: a subprocess in a small project, every wait with a deadline."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pages import page

pytest.importorskip("watchfiles")

ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 10.0

PET = page(
    """
    # Pet

    ## Fields

    | Field | Type | Required | Description |
    | --- | --- | --- | --- |
    | `name` | *string* | :heavy_check_mark: | What the pet answers to. |
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


class Process:
    """The watch command, its merged output read line by line on a thread."""

    def __init__(self, cwd: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "docmodels", "watch"],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, predicate, what: str) -> str:
        """The first new line for which `predicate` holds; fails after DEADLINE seconds."""
        deadline = time.monotonic() + DEADLINE
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"no {what} within {DEADLINE} s; output so far:\n" + "\n".join(self.lines))
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                pytest.fail(f"the process ended (exit {self.proc.wait(5)}) before {what}; output:\n" + "\n".join(self.lines))
            self.lines.append(line)
            if predicate(line):
                return line

    def stop(self) -> int:
        """Ctrl-C; the exit code, once the output is all in `lines`."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
            pytest.fail("the process did not exit within 5 s of SIGINT; output:\n" + "\n".join(self.lines))
        while (line := self._queue.get(timeout=5)) is not None:
            self.lines.append(line)
        return code


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {DEADLINE} s")
        time.sleep(0.05)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "pets"\nversion = "0"\n\n[tool.docmodels]\nspecs = ["specs"]\nout = "pets/models_gen"\n',
        encoding="utf-8",
    )
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "pet.md").write_text(PET, encoding="utf-8")
    (specs / "owner.md").write_text(OWNER, encoding="utf-8")
    return tmp_path


def test_watch_regenerates_on_change_survives_bad_input_and_stops_on_ctrl_c(project: Path) -> None:
    models = project / "pets" / "models_gen" / "models.py"
    watcher = Process(project)
    try:
        first = watcher.wait_for(lambda line: "written" in line, "first generation line")
        assert "2 definitions" in first and "pets/models_gen" in first
        watcher.wait_for(lambda line: line.startswith("docmodels: watching"), "watching line")
        assert "class Pet" in models.read_text(encoding="utf-8")
        assert "age:" not in models.read_text(encoding="utf-8")

        # A new field: the models follow, and one line says what changed and what was written.
        pet = project / "specs" / "pet.md"
        pet.write_text(PET + "| `age` | *number* | :heavy_minus_sign: | Years. |\n", encoding="utf-8")
        line = watcher.wait_for(lambda line: "specs/pet.md changed" in line, "regeneration line for pet.md")
        assert "written" in line and line.rstrip().endswith(" s"), line
        wait_until(lambda: "age: float" in models.read_text(encoding="utf-8"), "models.py has the new field")

        # A broken page: the problem with its file:line, a line saying it keeps watching, and it does.
        good_models = models.read_text(encoding="utf-8")
        owner = project / "specs" / "owner.md"
        owner.write_text(OWNER + "| `name` | *strng* | :heavy_check_mark: | Oops. |\n", encoding="utf-8")
        problem = watcher.wait_for(lambda line: line.startswith("specs/owner.md:"), "problem line")
        assert "strng" in problem
        watcher.wait_for(lambda line: "still watching" in line, "still-watching line")
        time.sleep(0.3)
        assert watcher.proc.poll() is None, "the watch ended on bad input"
        assert models.read_text(encoding="utf-8") == good_models, "bad input must write nothing"

        # Fixed: it regenerates again.
        owner.write_text(OWNER + "| `name` | *string* | :heavy_check_mark: | Fixed. |\n", encoding="utf-8")
        line = watcher.wait_for(lambda line: "specs/owner.md changed" in line and "written" in line, "regeneration after the fix")
        wait_until(lambda: "class Owner" in models.read_text(encoding="utf-8") and "name: str" in models.read_text(encoding="utf-8").split("class Owner")[1], "Owner has its new field")
    finally:
        code = watcher.stop()
    # Ctrl-C is never swallowed: exit 130 and the one line, last.
    assert code == 130, "\n".join(watcher.lines)
    assert watcher.lines[-1] == "docmodels: interrupted; run docmodels watch again", "\n".join(watcher.lines)
    assert not any("Traceback" in line for line in watcher.lines), "\n".join(watcher.lines)


def test_watch_follows_config_changes_and_new_folders(project: Path) -> None:
    """The config is read again on every change (another output folder takes effect at once), and
    a folder created under a spec folder is watched too."""
    watcher = Process(project)
    try:
        watcher.wait_for(lambda line: line.startswith("docmodels: watching"), "watching line")
        pyproject = project / "pyproject.toml"
        pyproject.write_text(pyproject.read_text(encoding="utf-8").replace("pets/models_gen", "pets/other"), encoding="utf-8")
        watcher.wait_for(lambda line: "pyproject.toml changed" in line and "written" in line, "regeneration after the config change")
        wait_until(lambda: (project / "pets" / "other" / "models.py").is_file(), "the new output folder")

        # A new folder of pages: it is watched from then on, and the page in it counts at once.
        more = project / "specs" / "more"
        more.mkdir()
        (more / "toy.md").write_text(OWNER.replace("Owner", "Toy"), encoding="utf-8")
        watcher.wait_for(lambda line: "specs/more/toy.md added" in line, "regeneration for the new page")
        (more / "toy.md").write_text(OWNER.replace("Owner", "Toy") + "| `colour` | *string* | :heavy_minus_sign: | Its colour. |\n", encoding="utf-8")
        watcher.wait_for(lambda line: "specs/more/toy.md changed" in line, "regeneration for the changed page in the new folder")
        wait_until(lambda: "colour:" in (project / "pets" / "other" / "models.py").read_text(encoding="utf-8"), "Toy has its new field")
    finally:
        code = watcher.stop()
    assert code == 130 and watcher.lines[-1] == "docmodels: interrupted; run docmodels watch again", "\n".join(watcher.lines)


def test_watch_in_process_ends_on_stop_event(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from docmodels.watch import watch

    stop = threading.Event()
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(watch(project, {}, stop=stop)), daemon=True)
    thread.start()
    wait_until(lambda: (project / "pets" / "models_gen" / "models.py").is_file(), "first generation")
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive(), "watch did not end when the stop event was set"
    assert result == [0]
    assert "2 definitions" in capsys.readouterr().out
