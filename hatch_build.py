"""docmodels' own build: the source folder `generator/` is the import package `docmodels`.

The wheel maps it with `force-include` (pyproject.toml). An editable install cannot: hatchling's
editable wheels put folders on `sys.path` (which would expose `generator`, not `docmodels`) and
refuse a `sources` rewrite that renames a folder. So for `pip install -e .` this hook ships, in
place of the copied files, a `.pth` that adds one import finder: it loads `docmodels` (and so all
of its submodules) from `<project>/generator/`, live, and nothing else of the project becomes
importable."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

FINDER = '''\
"""docmodels installed in editable mode: `import docmodels` loads {package}."""

import importlib.util
import sys

PACKAGE = {package!r}


class DocmodelsEditableFinder:
    """Finds the top-level package `docmodels` (its submodules are found on its __path__)."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != "docmodels":
            return None
        return importlib.util.spec_from_file_location(name, PACKAGE + "/__init__.py", submodule_search_locations=[PACKAGE])


if not any(getattr(finder, "__name__", "") == "DocmodelsEditableFinder" for finder in sys.meta_path):
    sys.meta_path.append(DocmodelsEditableFinder)  # after the path finders: sys.path still wins
'''


class EditableImportHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "editable":
            return
        self._folder = Path(tempfile.mkdtemp(prefix="docmodels-editable-"))
        package = (Path(self.root) / "generator").resolve().as_posix()
        finder = self._folder / "_docmodels_editable.py"
        finder.write_text(FINDER.format(package=package), encoding="utf-8")
        pth = self._folder / "_docmodels_editable.pth"
        pth.write_text("import _docmodels_editable\n", encoding="utf-8")
        # Replaces the force-include map for this build: no copy of generator/ or templates/.
        build_data["force_include_editable"] = {str(finder): "_docmodels_editable.py", str(pth): "_docmodels_editable.pth"}

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
