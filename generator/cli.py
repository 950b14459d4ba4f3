"""The `docmodels` command: arguments, configuration, exit codes, and printing problems."""

from __future__ import annotations

import signal
import sys

# As few imports as can be before `main` takes Ctrl-C over: one arriving during an import would
# print a traceback.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

EXIT_OK, EXIT_STALE, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3
MAX_SHOWN = 200  # problems printed; a page broken throughout says the rest in a count


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP: stop as Ctrl-C does (temporary files removed), exit 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(signum)


def _parser() -> argparse.ArgumentParser:
    import argparse

    from .config import DIALECTS, TARGETS

    parser = argparse.ArgumentParser(
        prog="docmodels",
        description="Generate Python dataclasses, TypedDicts, JSON Schema and OpenAPI from markdown model docs.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    generate = commands.add_parser("generate", help="write the generated files")
    check = commands.add_parser("check", help="exit 1 (with a diff) if the generated files are stale")
    watch = commands.add_parser("watch", help="regenerate whenever a page, the config, overrides or a template changes")
    schema = commands.add_parser("schema", help="print the intermediate schema the pages parse into")
    for sub in (generate, check, watch, schema):
        sub.add_argument("paths", nargs="*", metavar="PATH", help="a page, or a folder searched for *.md (config: specs)")
        sub.add_argument("--root", dest="roots", action="append", metavar="NAME", help="generate only these models and what they link to (config: roots)")
        sub.add_argument("--wire-case", dest="wire_case", choices=["as-is", "snake", "camel"], help="how page field names become JSON keys (config: wire_case)")
        sub.add_argument("--nullable", choices=["optional", "none"], help="whether optional fields accept null where the page does not say (config: nullable)")
        sub.add_argument("--dialect", choices=DIALECTS, help="read every page in this SDK language's dialect instead of telling it per page and folder (config: dialect)")
        sub.add_argument("--overrides", metavar="FILE", help="YAML file of per-field wire and Python names (config: overrides)")
    for sub in (generate, check, watch):
        sub.add_argument("-o", "--out", metavar="DIR", help="output folder (config: out)")
        sub.add_argument("--target", dest="targets", action="append", choices=TARGETS, help="what to generate; repeat for several (default: dataclasses, typeddicts, jsonschema; config: targets)")
        sub.add_argument("--templates", metavar="DIR", help="folder of templates that replace built-in ones by name (config: templates)")
        sub.add_argument("--no-cache", dest="use_cache", action="store_false", help="neither read nor write the cache")
    for sub in (generate, watch):
        sub.add_argument("--force", action="store_true", help="overwrite or remove files in the output folder that docmodels did not write")
    generate.add_argument("--fail-on-change", action="store_true", help="exit 1 when anything was written or removed (for pre-commit)")
    schema.add_argument("--format", choices=["yaml", "json"], default="yaml")
    return parser


def main(argv: list[str] | None = None) -> int:
    """The command. Ctrl-C (and SIGTERM, SIGHUP) at any moment ends it with one line and exit 130
    (128 + the signal), never a traceback; a write under way finishes or is undone first."""
    handlers = {signum: _handle(signum, _stop) for signum in _STOPPING}
    command, as_program = "generate", argv is None
    try:
        if argv is None:
            argv = sys.argv[1:]
        command = next((a for a in argv if a in ("generate", "check", "watch", "schema")), command)
        return _main(argv)
    except KeyboardInterrupt as exc:
        handlers.setdefault(signal.SIGINT, _handle(signal.SIGINT, signal.SIG_IGN))  # a second Ctrl-C waits
        try:
            print(f"docmodels: interrupted; run docmodels {command} again", file=sys.stderr)
        except (OSError, ValueError):
            pass
        return 128 + exc.signum if isinstance(exc, _Stopped) else 130
    finally:
        if as_program:  # the run is over: a signal while the interpreter exits would only make the exit code -2
            for signum in (signal.SIGINT, *_STOPPING):
                _handle(signum, signal.SIG_IGN)
        else:
            for signum, handler in handlers.items():
                _handle(signum, handler)


_STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _handle(signum: int, handler: Any) -> Any:
    """Set a signal's handler, returning the one before (None outside the main thread, where
    Python sets none)."""
    try:
        return signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
    except ValueError:
        return None


def _main(argv: list[str]) -> int:
    import gc
    from pathlib import Path

    args = _parser().parse_args(argv)
    from . import api  # deferred: `docmodels --help` stays fast
    from .errors import InputError
    from .output import FolderError

    try:
        from .config import KEYS

        overrides: dict[str, Any] = {k: v for k, v in vars(args).items() if v is not None and k in KEYS}
        if args.paths:
            # Pages named on the command line replace the configured ones, and so do their roots.
            overrides["specs"] = args.paths
            overrides.setdefault("roots", [])
        if args.command == "watch":
            from .watch import watch

            return watch(Path.cwd(), overrides, force=args.force, use_cache=args.use_cache)
        # One run builds a large graph of objects and then exits: the cycle collector would only
        # walk it over and over (a tenth of a run after an edit).
        gc.disable()
        config = api.load_config(Path.cwd(), overrides)
        if args.command == "schema":
            schema, warnings = api.load(config)
            for warning in warnings:
                print(warning, file=sys.stderr)
            print(_dump_schema(schema, args.format), end="")
            return EXIT_OK
        if args.command == "check":
            result = api.check(config, use_cache=args.use_cache)
        else:
            result = api.generate(config, force=args.force, use_cache=args.use_cache)
    except FolderError as exc:  # the output or cache folder: one line, the path and the cause
        print(exc.problems[0], file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # the system refused something outside those folders: not a bug either
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"docmodels: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InputError as exc:
        for problem in exc.problems[:MAX_SHOWN]:
            print(problem, file=sys.stderr)
        if len(exc.problems) > MAX_SHOWN:
            print(f"docmodels: {len(exc.problems) - MAX_SHOWN} more problem(s) not shown", file=sys.stderr)
        print(f"docmodels: {len(exc.problems)} problem(s); nothing was written", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug, not bad input
        print(f"docmodels: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("docmodels: this is a bug in docmodels; please report it with the command and pages that caused it", file=sys.stderr)
        return EXIT_BUG
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    out = api.show_path(result.out, config.base)
    if args.command == "check":
        if not result.changes:
            print(f"docmodels: {out} is up to date ({len(result.files)} files)")
            return EXIT_OK
        sys.stdout.write(_colour(result.diff) if sys.stdout.isatty() else result.diff)
        changes = result.changes
        labels = (("stale", changes.stale), ("edited by hand", changes.edited), ("missing", changes.missing), ("extra", changes.extra), ("not written by docmodels", changes.foreign))
        for label, paths in labels:
            for path in paths:
                print(f"{label}: {out}/{path}")
        print(f"docmodels: {out} is out of date; run `docmodels generate`")
        return EXIT_STALE
    changed = len(result.changes.to_write)
    if args.fail_on_change:
        for label, paths in (("written", tuple(sorted(result.changes.to_write))), ("removed", result.changes.extra)):
            for path in paths:
                print(f"{label}: {out}/{path}")
    print(
        f"docmodels: {result.summary}; {out}: {changed} written, {len(result.changes.extra)} removed, "
        f"{len(result.files) - changed} unchanged"
    )
    return EXIT_STALE if args.fail_on_change and result.changes else EXIT_OK


def _colour(diff: str) -> str:
    colours = {"+": "\033[32m", "-": "\033[31m", "@": "\033[36m"}
    lines = []
    for line in diff.splitlines(keepends=True):
        colour = colours.get(line[:1]) if not line.startswith(("+++", "---")) else "\033[1m"
        lines.append(f"{colour}{line.rstrip(chr(10))}\033[0m\n" if colour else line)
    return "".join(lines)


def _dump_schema(schema: Any, fmt: str) -> str:
    import json

    from .api import schema_as_data

    data = schema_as_data(schema)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    import yaml  # type: ignore[import-untyped, unused-ignore]

    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return text
