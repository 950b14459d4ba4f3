"""A hatchling build hook: building a package regenerates its models from its pages.

In the package's pyproject.toml (docmodels must be importable where the build runs):

    [build-system]
    requires = ["hatchling", "docmodels"]
    build-backend = "hatchling.build"

    [tool.hatch.build.hooks.docmodels]
    # optional, each wins over [tool.docmodels]: specs, out, roots, targets, wire-case, nullable,
    # overrides, templates, layout, runtime; and force (overwrite files docmodels did not write),
    # cache (default off)

The hook runs `generate` with the project's `[tool.docmodels]` (paths relative to the project being
built), for each of its outputs (`[[tool.docmodels.output]]`), fails the build with every `file:line:` problem on bad input, and adds the generated files
to the wheel and sdist explicitly: an output folder listed in .gitignore is still shipped.
Registered by the `hatch` entry point `docmodels = "docmodels.hatch"`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.plugin import hookimpl

_PATHS = ("out", "overrides", "templates", "runtime")  # runtime: a module name, text like the paths
_LISTS = ("specs", "roots", "targets")
_CHOICES = {"wire_case": ("as-is", "snake", "camel"), "nullable": ("optional", "none", "all"), "open_enums": ("page", "all", "none"), "targets": ("dataclasses", "typeddicts", "jsonschema", "openapi"), "layout": ("module", "package")}
_FLAGS = ("force", "cache")
# Keys hatchling reads itself from every hook table.
_HATCH_KEYS = frozenset({"dependencies", "require-runtime-dependencies", "require-runtime-features", "enable-by-default"})


class DocmodelsBuildError(Exception):
    """Bad pages or settings: the message lists every problem as `file:line: message`."""


class DocmodelsBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "docmodels"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from . import api  # deferred: hatchling imports every registered hook's module
        from .errors import InputError, counts, report

        options, force, use_cache = self._options()
        root = Path(self.root)
        try:
            # Every output ([[tool.docmodels.output]]); bad settings in any fail the build before any is written.
            results = [api_generate(api, config, force=force, use_cache=use_cache) for config in api.settled(api.load_configs(root, options))]
        except InputError as exc:
            # The first line follows the exception's name; each problem is a line of its own.
            message = "\n".join(["docmodels: bad model pages or settings", *report(exc.problems), f"docmodels: {counts(exc.problems)}; nothing more was generated"])
            raise DocmodelsBuildError(message) from None
        for result in results:
            self._include(result, root, version, build_data)

    def _include(self, result: Any, root: Path, version: str, build_data: dict[str, Any]) -> None:
        """Report one output, and add its files to the build."""
        from .errors import report

        for line in report(result.warnings):  # warnings of one kind in one line, as the command prints them
            self.app.display_warning(line)
        out = _relative(result.out, root)
        to_write = getattr(result.changes, "to_write", None)
        written = len(to_write) if to_write is not None else len(result.changes.stale) + len(result.changes.missing)
        self.app.display_info(f"docmodels: {result.summary}; {out or result.out}: {written} written, {len(result.changes.extra)} removed")
        if version == "editable":
            return  # an editable install imports the output folder where it is
        if out is None:
            self.app.display_warning(f"docmodels: {result.out} is outside the project; the generated files are not added to the {self.target_name}")
            return
        # Explicitly, so that a git-ignored or untracked output folder still ships. Targets are
        # project-relative paths: hatchling maps them like every other file (`src/` dropped for
        # `packages = ["src/pkg"]`), and skips the same files in its own walk.
        force_include = build_data.setdefault("force_include", {})
        for name in sorted(result.files):
            path = result.out / name
            if path.is_file():
                force_include[str(path)] = f"{out}/{name}" if out != "." else name

    def _options(self) -> tuple[dict[str, Any], bool, bool]:
        """The hook table as `load_config` overrides (checked here: they bypass its checks), and
        the force and cache flags."""
        options: dict[str, Any] = {}
        force, use_cache = False, False
        location = f"[tool.hatch.build.hooks.{self.PLUGIN_NAME}]"
        for raw_key, value in self.config.items():
            if raw_key in _HATCH_KEYS:
                continue
            key = raw_key.replace("-", "_")
            if key in _FLAGS:
                if not isinstance(value, bool):
                    raise DocmodelsBuildError(f"docmodels: {location} {raw_key} = {value!r}; expected true or false")
                if key == "force":
                    force = value
                else:
                    use_cache = value
            elif key in _LISTS:
                items = [value] if isinstance(value, str) else value
                if not isinstance(items, list) or not all(isinstance(v, str) for v in items) or (key in _CHOICES and not set(items) <= set(_CHOICES[key])):
                    want = f"a list of {', '.join(_CHOICES[key])}" if key in _CHOICES else "a list of text"
                    raise DocmodelsBuildError(f"docmodels: {location} {raw_key} = {value!r}; expected {want}")
                options[key] = items
            elif key in _PATHS or key in _CHOICES:
                if not isinstance(value, str) or (key in _CHOICES and value not in _CHOICES[key]):
                    want = f"one of: {', '.join(_CHOICES[key])}" if key in _CHOICES else "text"
                    raise DocmodelsBuildError(f"docmodels: {location} {raw_key} = {value!r}; expected {want}")
                options[key] = value
            else:
                known = ", ".join(k.replace("_", "-") for k in (*_LISTS, *_PATHS, "wire_case", "nullable", "layout", *_FLAGS))
                raise DocmodelsBuildError(f"docmodels: unknown key {raw_key!r} in {location}; expected one of: {known}")
        return options, force, use_cache


def api_generate(api: Any, config: Any, *, force: bool, use_cache: bool) -> Any:
    """`api.generate` with the options this docmodels accepts (`force`/`use_cache` are newer)."""
    import inspect

    parameters = inspect.signature(api.generate).parameters
    options = {k: v for k, v in (("force", force), ("use_cache", use_cache)) if k in parameters}
    return api.generate(config, **options)


def _relative(path: Path, root: Path) -> str | None:
    """`path` relative to the project root, with forward slashes; None if outside it."""
    try:
        relative = Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except ValueError:
        return None
    return relative.as_posix() or "."


@hookimpl
def hatch_register_build_hook() -> type[BuildHookInterface]:  # type: ignore[type-arg]
    return DocmodelsBuildHook
