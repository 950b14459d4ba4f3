"""Pages on disk -> a resolved Schema: the closure of links from the roots, checked for clashes,
with wire names, Python names and nullability decided."""

from __future__ import annotations

import collections
import dataclasses
import functools
import hashlib
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from pathlib import Path
from typing import Any, TypeVar

from . import conform, ir, names, overrides
from .cache import fingerprint_of
from .config import FieldOverride, Settings, find_pages
from .errors import InputError, Problem
from .parse import EXAMPLE_IS_CODE, decode, parse_page_all
from .parse.dialects import DEFAULT, DIALECTS, majority, sniff
from .workers import worker_pool

NO_LOC = ir.SourceLoc("", 0)
MAX_PAGE_BYTES = 2 * 2**20  # real pages are tens of KiB
MAX_LINK_DEPTH = 100  # links followed from a root before docmodels stops
PARALLEL_FROM = 200  # pages to parse; below this, starting workers costs more than it saves
_Typed = TypeVar("_Typed", ir.Field, ir.UnionMember)
_SECTION = re.compile(r"(.+\.md)#[\w-]*")
"""`page.md#anchor`: the model a page defines in a section (anchors have no dots; a page may have a `#` in its name)."""
_GENERIC_FOLDERS = frozenset({"docs", "models", "components", "operations", "errors", "packages", "..", "."})


def load_schema(
    paths: Iterable[Path],
    roots: Iterable[str],
    settings: Settings,
    base: Path,
    problems: Iterable[Problem] = (),
    page_cache: MutableMapping[str, Any] | None = None,
    read: dict[str, list[Any]] | None = None,
) -> tuple[ir.Schema, list[Problem]]:
    """Parse the pages under `paths` and the pages they link to, keep the closure of `roots` (all
    when empty), and resolve names. Returns the schema and the warnings (docs inconsistencies that
    were worked around); raises InputError with every problem found, `problems` (found earlier,
    in the configuration) included. `page_cache` keeps parsed pages by content (see cache.py).
    `read` is filled with what was read of each page: project-relative path -> [sha256 of its
    bytes, size, mtime] (`cache.fingerprint_of`)."""
    paths, roots = list(paths), list(roots)
    # Pages are read only inside the folders given (or the folders of the pages given).
    allowed = [(p if p.is_dir() else p.parent).resolve() for p in paths]
    forced = [settings.dialects.get(str(p), settings.dialects.get("")) for p in paths]
    loader = _Loader(base, allowed, forced, page_cache, read if read is not None else {})
    loader.overrides = settings.overrides
    loader.problems.extend(problems)
    given = [loader.rel(p) for p in find_pages(paths)]
    loader.prefetch(given)
    for page in given:
        loader.load(page)
    for path in paths:
        if not path.exists():
            loader.problems.append(Problem(NO_LOC, f"{loader.rel(path)}: no such file or folder; expected a page or a folder of pages"))

    by_name = loader.by_name
    wanted = list(roots) or [d.name for p in given if (d := loader.pages.get(p)) is not None]
    for root in wanted:
        if root not in by_name:
            loader.problems.append(Problem(NO_LOC, f"root model '{root}' is not defined by any page; expected {_closest(root, by_name)}"))

    closure: dict[str, ir.Definition] = {}
    left_out: dict[str, ir.LeftOut] = {}
    todo = collections.deque((by_name[r], 0) for r in wanted if r in by_name)
    while todo:
        definition, depth = todo.popleft()
        if definition.name in closure or definition.name in left_out:
            continue
        if loader.describes_sdk(definition):
            left_out[definition.name] = ir.LeftOut(definition.name, "every row describes the SDK, not wire data", definition.loc)
            continue
        definition = loader.leave_out_sdk_only(loader.link(definition))
        closure[definition.name] = definition
        for ref, loc in _refs(definition):
            target = loader.pages.get(ref.page)
            if target is not None and depth + 1 > MAX_LINK_DEPTH:
                loader.problems.append(Problem(loc, f"'{target.name}' is more than {MAX_LINK_DEPTH} links away from a root; expected a shallower chain of pages"))
            elif target is not None:
                todo.append((target, depth + 1))

    if roots:  # warnings only about what the run keeps: the pages of the definitions in the closure
        kept = {d.loc.path for d in closure.values()}
        loader.problems[:] = [p for p in loader.problems if not p.warning or p.loc.path in kept]
    _count_code_examples(loader)
    _check_overrides(settings, by_name, loader.problems)
    errors = [p for p in loader.problems if not p.warning]
    if errors:
        raise InputError(loader.problems)
    page_names = {page: d.name for page, d in loader.pages.items() if d is not None}
    resolved = [_resolve(d, settings, page_names) for d in closure.values()]
    _check_class_names(resolved, loader.problems)
    if any(not p.warning for p in loader.problems):
        raise InputError(loader.problems)
    definitions, warnings = conform.check_examples(sorted(resolved, key=lambda d: d.name))
    left = sorted([*left_out.values(), *loader.not_models.values()], key=lambda x: x.loc)
    schema = ir.Schema(tuple(definitions), tuple(sorted({d.loc.path for d in resolved})), tuple(left))
    return schema, sorted(loader.problems + warnings)


def _closest(name: str, known: Iterable[str]) -> str:
    """What to say instead of an unknown root: the closest names a page defines (case aside)."""
    import difflib

    by_lower: dict[str, list[str]] = collections.defaultdict(list)
    for k in sorted(known):
        by_lower[k.lower()].append(k)
    if not by_lower:
        return "a model defined by a page, but no page defines one"
    lower = name.lower()
    matches = [lower] if lower in by_lower else difflib.get_close_matches(lower, by_lower, n=3, cutoff=0.6)
    close = [k for match in matches for k in by_lower[match]][:3]
    if not close:
        return f"a model defined by a page, but none of the {len(by_lower):,} names is close (`docmodels schema` lists them)"
    listed = close[0] if len(close) == 1 else f"{', '.join(close[:-1])} or {close[-1]}"
    return f"a model defined by a page: did you mean {listed}?"


def _count_code_examples(loader: _Loader) -> None:
    """One line per spec folder for the Example Usage blocks that are code (Go, Java, ... build
    values in code), instead of one per page."""
    found: dict[int, list[Problem]] = collections.defaultdict(list)
    kept = []
    for p in loader.problems:
        if p.warning and p.message == EXAMPLE_IS_CODE:
            found[loader.folder_of.get(p.loc.path, 0)].append(p)
        else:
            kept.append(p)
    for folder, problems in found.items():
        first = min(problems).loc
        message = f"{len(problems)} Example Usage blocks in {loader.rel(loader.allowed[folder])} are code that builds the value, not literals (the first here); left out"
        kept.append(Problem(first, message, warning=True, kind="example-is-code"))
    loader.problems[:] = kept


def _page_key(page: str, text: str, dialect: str) -> str:
    return hashlib.sha256(f"{page}\0{dialect}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def _parse_text(job: tuple[str, str, str]) -> tuple[dict[str, ir.Definition], list[Problem]]:
    page, text, dialect = job
    try:
        return parse_page_all(page, text, dialect)
    except RecursionError:  # pathological nesting in markdown or an example literal
        return {}, [Problem(ir.SourceLoc(page, 1), "page nests too deeply to read; expected ordinary markdown")]


class _Loader:
    """Reads and parses pages once each, by project-relative path."""

    def __init__(self, base: Path, allowed: list[Path], forced: list[str | None], page_cache: MutableMapping[str, Any] | None, read: dict[str, list[Any]]) -> None:
        self.base = base
        self.read = read
        self.allowed = allowed
        self.inside = [os.path.join(folder, "") for folder in allowed]
        self.dialects: list[str | None] = list(forced)
        """Per spec folder: the dialect its pages are read in where they do not tell (the
        setting's, else the one most of its pages are in)."""
        self.forced = [d is not None for d in forced]
        self.run_dialect: str | None = None
        self.folder_of: dict[str, int] = {}
        """Page -> the spec folder it was read from (an index into `allowed`)."""
        self.sniffed: dict[str, str | None] = {}
        """Page -> the dialect it surely is in, where it tells."""
        self.real_folders: dict[str, str] = {}
        self.page_cache = page_cache if page_cache is not None else {}
        self.keep_pages = page_cache is not None
        self.pages: dict[str, ir.Definition | None] = {}
        self.by_name: dict[str, ir.Definition] = {}
        self.renamed: set[str] = set()
        """Names `_register` made (`PaymentsCursor` for the Payments folder's `Cursor`)."""
        self.problems: list[Problem] = []
        self.texts: dict[str, tuple[str | None, list[Problem]]] = {}
        """Pages read ahead by `prefetch`, until `load` takes them."""
        self.parsed: dict[str, tuple[dict[str, ir.Definition], list[Problem]]] = {}
        """Pages parsed ahead by `prefetch`, by `_page_key`."""
        self.failures: dict[str, list[str]] = {}
        """Linked pages that could not be read -> why, for every further link to them."""
        self.moved: dict[str, str] = {}
        """Links to missing pages -> the page read instead (see `obvious_target`)."""
        self.by_file_name: dict[str, list[str]] | None = None
        self.redirected: dict[str, list[str]] = collections.defaultdict(list)
        """Missing folder -> the folders links into it were found in, one entry per link."""
        self.not_models: dict[str, ir.LeftOut] = {}
        """Pages that hold no definition and say so (client options pages)."""
        self.linked: dict[tuple[str, ir.SourceLoc], ir.Definition] = {}
        self.sdk_only: dict[str, bool] = {}
        """Model name -> whether it describes the SDK only (see `leave_out_sdk_only`)."""
        self.overrides: Mapping[tuple[str, str], FieldOverride] = {}
        """The overrides file's entries: their types and requiredness apply as a model is linked."""

    def rel(self, path: Path) -> str:
        return os.path.relpath(path, self.base).replace(os.sep, "/")

    def load(self, page: str, linked_from: ir.SourceLoc | None = None) -> ir.Definition | None:
        """The definition a page (or `page#section`) holds, read and parsed once. Every link to a
        page that cannot be read gets its own problem."""
        if page in self.pages:
            if self.pages[page] is None and linked_from is not None:
                self.problems.extend(Problem(linked_from, message) for message in self.failures.get(page, ()))
            return self.pages[page]
        if section := _SECTION.fullmatch(page):  # a model in a section of a page
            self.load(section[1], linked_from)
            if page not in self.pages:
                self.problems.append(Problem(linked_from or NO_LOC, f"link to '{page}', but that page has no such section; expected a '## Name' section with '### Fields'"))
                self.pages[page] = None
            return self.pages[page]
        self.pages[page] = None
        text, problems = self.texts.pop(page) if page in self.texts else self._read(page, linked_from)
        if text is None and linked_from is not None and (moved := self.obvious_target(page)) is not None:
            # A link into a folder that does not exist, where exactly one page has that name.
            self.problems.append(Problem(linked_from, f"link to '{page}', which does not exist; read '{moved}', the one page of that name in the spec folders", warning=True, kind="missing-link-redirect"))
            self.moved[page] = moved
            self.pages[page] = self.load(moved, linked_from)
            return self.pages[page]
        if text is not None:
            definitions, problems = self._parse(page, text)
            for key, definition in definitions.items():
                self.pages[key] = self._register(definition)
            if page not in definitions and not any(not p.warning for p in problems):
                self.not_models[page] = ir.LeftOut(page, "not a model page: no '## Fields', '## Values' or '## Supported Types' section", ir.SourceLoc(page, 1))
                self.failures[page] = [f"link to '{page}', which defines no model; expected a page with '## Fields', '## Values' or '## Supported Types'"]
                problems = problems + [Problem(linked_from, self.failures[page][0])] if linked_from is not None else problems
        elif linked_from is not None:
            self.failures[page] = [p.message for p in problems]
        self.problems.extend(problems)
        return self.pages[page]

    def obvious_target(self, page: str) -> str | None:
        """The page to read for `page`, a page that does not exist: the one page in the spec
        folders with its file name; of several, the one in the folder that earlier links into
        the same missing folder were found in, most of them (`models/shared/` is `components/`);
        None where there is none, or no such folder tells."""
        if os.path.lexists(os.path.join(self.base, page)):
            return None
        if self.by_file_name is None:
            self.by_file_name = collections.defaultdict(list)
            for found in find_pages(self.allowed):
                self.by_file_name[found.name].append(self.rel(found))
        candidates = self.by_file_name.get(posixpath.basename(page), [])
        missing = posixpath.dirname(page)
        if len(candidates) > 1:
            found_in = collections.Counter(self.redirected[missing])
            ranked = sorted(candidates, key=lambda c: -found_in[posixpath.dirname(c)])
            candidates = ranked[:1] if found_in[posixpath.dirname(ranked[0])] > found_in[posixpath.dirname(ranked[1])] else []
        if len(candidates) == 1:
            self.redirected[missing].append(posixpath.dirname(candidates[0]))
            return candidates[0]
        return None

    def prefetch(self, pages: list[str]) -> None:
        """Read `pages`, which the run will load anyway, tell each spec folder's dialect from
        them, and parse those the cache does not have on every core when there are many."""
        self.texts = {page: self._read(page) for page in pages if page not in self.pages}
        sniffed: dict[int, list[str | None]] = collections.defaultdict(list)
        for page, (text, _) in self.texts.items():
            if text is not None and not self.forced[folder := self.folder_of[page]]:
                sniffed[folder].append(self.sniff(page, text))
        for folder, found in sniffed.items():
            self.dialects[folder] = majority(found)
        # A folder none of whose pages tells (a few pages given one by one) takes the run's.
        self.run_dialect = majority(d for found in sniffed.values() for d in found)
        todo = {}
        for page, (text, _) in self.texts.items():
            if text is not None:
                job = (page, text, self.dialect(page, text))
                todo[_page_key(*job)] = job
        todo = {key: job for key, job in todo.items() if key not in self.page_cache}
        if len(todo) >= PARALLEL_FROM and (pool := worker_pool()) is not None:
            with pool:
                self.parsed.update(zip(todo, pool.map(_parse_text, todo.values(), chunksize=32)))

    def _read(self, page: str, linked_from: ir.SourceLoc | None = None) -> tuple[str | None, list[Problem]]:
        """The text of a page, or None and why not. Nothing outside the spec folders is read."""
        loc = linked_from or ir.SourceLoc(page, 1)
        real = self._realpath(os.path.join(self.base, page))
        folder = max((i for i, inside in enumerate(self.inside) if os.path.join(real, "").startswith(inside)), key=lambda i: len(self.inside[i]), default=None)
        if folder is None:
            return None, [Problem(loc, f"'{page}' is outside the spec folders; expected a page inside {', '.join(self.rel(f) for f in self.allowed)}")]
        try:
            if not os.path.isfile(real):  # a folder, a FIFO or a device would never end
                raise IsADirectoryError(0, "it is not a file") if os.path.exists(real) else FileNotFoundError()
            with open(real, "rb") as f:
                # Never more than the limit in memory, and no buffer of the limit's size per page.
                st = os.fstat(f.fileno())
                data = f.read(min(st.st_size, MAX_PAGE_BYTES) + 1)
                if len(data) > st.st_size:  # it grew since
                    data += f.read(MAX_PAGE_BYTES + 1 - len(data))
        except OSError as exc:
            reason = "there is no such page" if isinstance(exc, FileNotFoundError) else exc.strerror
            return None, [Problem(loc, f"cannot read '{page}': {reason}; expected a model page there")]
        if len(data) > MAX_PAGE_BYTES:
            return None, [Problem(ir.SourceLoc(page, 1), f"page is {max(st.st_size, len(data)) / 2**20:.1f} MiB; expected at most {MAX_PAGE_BYTES // 2**20} MiB")]
        self.read[page] = fingerprint_of(data, st)
        self.folder_of[page] = folder
        return decode(data, page)

    def dialect(self, page: str, text: str) -> str:
        """The dialect to read a page in: its folder's setting, else what the page surely is,
        else what most pages of its folder are."""
        folder = self.folder_of[page]
        if self.forced[folder]:
            return self.dialects[folder] or DEFAULT
        return self.sniff(page, text) or self.dialects[folder] or self.run_dialect or DEFAULT

    def sniff(self, page: str, text: str) -> str | None:
        """`parse.dialects.sniff` of the page, kept in the cache by the page's content: telling
        the dialect of every page costs a tenth of a second per thousand pages."""
        if page not in self.sniffed:
            key = f"dialect:{self.read[page][0]}"
            found = self.page_cache[key] if key in self.page_cache else ""
            if found is not None and found not in DIALECTS:
                found = sniff(text)
                if self.keep_pages:
                    self.page_cache[key] = found
            self.sniffed[page] = found
        return self.sniffed[page]

    def _realpath(self, path: str) -> str:
        """`os.path.realpath(path)`, with the folders' real paths computed once: pages are many,
        folders few."""
        folder, name = os.path.split(path)
        if name in ("", ".", "..") or os.path.islink(path):
            return os.path.realpath(path)
        if folder not in self.real_folders:
            self.real_folders[folder] = os.path.realpath(folder)
        return os.path.join(self.real_folders[folder], name)

    def _parse(self, page: str, text: str) -> tuple[dict[str, ir.Definition], list[Problem]]:
        dialect = self.dialect(page, text)
        key = _page_key(page, text, dialect)
        if key in self.parsed:
            definitions, problems = self.parsed.pop(key)
        elif key in self.page_cache:
            try:
                definitions, saved = self.page_cache[key]
                if not all(isinstance(d, (ir.Model, ir.Enum, ir.Union)) for d in definitions.values()):
                    raise TypeError("not parsed definitions")
                return definitions, [Problem(ir.SourceLoc(p, n), m, w, k) for p, n, m, w, k in saved]
            except (ValueError, TypeError, AttributeError):
                definitions, problems = _parse_text((page, text, dialect))  # not what this version wrote
        else:
            definitions, problems = _parse_text((page, text, dialect))
        if self.keep_pages:
            saved = [[p.loc.path, p.loc.line, p.message, p.warning, p.kind] for p in problems]
            self.page_cache[key] = [definitions, saved]
        return definitions, problems

    def _register(self, definition: ir.Definition) -> ir.Definition:
        first = self.by_name.setdefault(definition.name, definition)
        if first is definition:
            return definition
        first_dir, this_dir = posixpath.dirname(first.loc.path), posixpath.dirname(definition.loc.path)
        if first_dir == this_dir and first.name not in self.renamed:
            self.problems.append(Problem(definition.loc, f"model '{definition.name}' is already defined at {first.loc}; expected one page per model"))
            return definition
        # Two SDK packages document models of the same name: qualify the later one by its folder.
        distinct = [p for p in this_dir.split("/") if p not in first_dir.split("/")]
        qualifier = "".join(names.class_name(p) for p in ([p for p in distinct if p not in _GENERIC_FOLDERS] or distinct))
        name = qualifier + definition.name
        n = 2
        while name in self.by_name:
            name, n = f"{qualifier}{definition.name}{n}", n + 1
        renamed = dataclasses.replace(definition, name=name)
        self.by_name[name] = renamed
        self.renamed.add(name)  # a page that names itself so later is renamed in turn
        self.problems.append(Problem(definition.loc, f"model '{definition.name}' is also defined at {first.loc}; this one is named '{name}'", warning=True, kind="name-clash"))
        return renamed

    def link(self, definition: ir.Definition) -> ir.Definition:
        """Point every reference of `definition` at a page: links already do; a bare name
        (`*components.X*`) means the page beside this one if it defines X, else the one page that does.
        Once per definition: each problem it finds is reported once."""
        key = (definition.name, definition.loc)
        if key in self.linked:
            return self.linked[key]

        def target(ref: ir.Ref, loc: ir.SourceLoc) -> ir.Ref:
            if ref.page:
                self.load(ref.page, loc)
                return ir.Ref(ref.name, self.moved[ref.page]) if ref.page in self.moved else ref
            for file_name in (ref.name.lower() + ".md", ref.name + ".md"):  # C# and Java pages keep the case
                sibling = posixpath.join(posixpath.dirname(loc.path), file_name)
                if (self.base / sibling).is_file() and (found := self.load(sibling, loc)) is not None and found.loc.path == sibling:
                    return ir.Ref(ref.name, sibling)
            if ref.name in self.by_name:
                return ir.Ref(ref.name, self.by_name[ref.name].loc.path)
            self.problems.append(Problem(loc, f"type '{ref.name}' is named but no page defines it; expected a page '{sibling}' or a link"))
            return ref

        self.linked[key] = _map_refs(self.overridden(definition), target)
        return self.linked[key]

    def overridden(self, definition: ir.Definition) -> ir.Definition:
        """`definition` with the types and requiredness the overrides file gives its fields; a
        type naming a definition no page defines is left out (`_check_overrides` reports it)."""
        if not self.overrides or not isinstance(definition, ir.Model):
            return definition
        fields = []
        for f in definition.fields:
            o = overrides.lookup(self.overrides, definition.name, f.doc_name)
            if o is not None and (o.type is not None or o.required is not None):
                known = o.type is not None and all(t.name in self.by_name for t in ir.walk(o.type) if isinstance(t, ir.Ref))
                type_ = o.type if o.type is not None and known else f.type
                f = dataclasses.replace(f, type=type_, required=f.required if o.required is None else o.required)
            fields.append(f)
        return dataclasses.replace(definition, fields=tuple(fields))


    def leave_out_sdk_only(self, definition: ir.Definition) -> ir.Definition:
        """`definition` without the fields that link to a model that describes the SDK, not the
        wire: one all of whose rows are left out (`HTTPMetadata`: the raw response and request)."""
        if not isinstance(definition, ir.Model):
            return definition
        fields, left_out = [], list(definition.left_out)
        for f in definition.fields:
            target = self.pages.get(f.type.page) if isinstance(f.type, ir.Ref) else None
            if target is not None and self.describes_sdk(target):
                left_out.append(ir.LeftOut(f.doc_name, f"links to {target.name}, which describes the SDK, not wire data", f.loc))
            else:
                fields.append(f)
        if len(fields) == len(definition.fields):
            return definition
        return dataclasses.replace(definition, fields=tuple(fields), left_out=tuple(sorted(left_out, key=lambda x: x.loc)))

    def describes_sdk(self, definition: ir.Definition) -> bool:
        if not isinstance(definition, ir.Model):
            return False
        if definition.name not in self.sdk_only:
            self.sdk_only[definition.name] = False  # until known: a cycle is wire data
            model = self.leave_out_sdk_only(self.link(definition))
            assert isinstance(model, ir.Model)
            self.sdk_only[definition.name] = bool(model.left_out) and not model.fields and model.additional is None
        return self.sdk_only[definition.name]


def _refs(definition: ir.Definition) -> Iterable[tuple[ir.Ref, ir.SourceLoc]]:
    if isinstance(definition, ir.Model):
        typed = [(f.type, f.loc) for f in definition.fields]
        if definition.additional is not None:
            typed.append((definition.additional, definition.loc))
    elif isinstance(definition, ir.Union):
        typed = [(m.type, m.loc) for m in definition.members]
    else:
        typed = []
    for type_, loc in typed:
        for t in ir.walk(type_):
            if isinstance(t, ir.Ref):
                yield t, loc


def _map_type(t: ir.TypeExpr, change: Callable[[ir.Ref], ir.Ref]) -> ir.TypeExpr:
    """`t` with every reference replaced by `change(ref)`; `t` itself where nothing changed."""
    if isinstance(t, ir.Ref):
        return change(t)
    if isinstance(t, ir.Array):
        item = _map_type(t.item, change)
        return t if item is t.item else ir.Array(item)
    if isinstance(t, ir.Map):
        value = _map_type(t.value, change)
        return t if value is t.value else ir.Map(value)
    if isinstance(t, ir.OneOf):
        members = tuple(_map_type(m, change) for m in t.members)
        return t if all(a is b for a, b in zip(members, t.members)) else ir.OneOf(members)
    return t


def _map_refs(definition: ir.Definition, change: Callable[[ir.Ref, ir.SourceLoc], ir.Ref]) -> ir.Definition:
    """`definition` with every reference replaced by `change(ref, where)`; `definition` itself
    where nothing changed."""
    if isinstance(definition, ir.Model):
        fields = tuple(_with_type(f, _map_type(f.type, functools.partial(_at, change, f.loc))) for f in definition.fields)
        additional = definition.additional
        if additional is not None:
            additional = _map_type(additional, functools.partial(_at, change, definition.loc))
        changed = additional is not definition.additional or any(a is not b for a, b in zip(fields, definition.fields))
        return dataclasses.replace(definition, fields=fields, additional=additional) if changed else definition
    if isinstance(definition, ir.Union):
        members = tuple(_with_type(m, _map_type(m.type, functools.partial(_at, change, m.loc))) for m in definition.members)
        changed = any(a is not b for a, b in zip(members, definition.members))
        return dataclasses.replace(definition, members=members) if changed else definition
    return definition


def _at(change: Callable[[ir.Ref, ir.SourceLoc], ir.Ref], loc: ir.SourceLoc, ref: ir.Ref) -> ir.Ref:
    return change(ref, loc)


def _with_type(node: _Typed, type_: ir.TypeExpr) -> _Typed:
    return node if type_ is node.type else dataclasses.replace(node, type=type_)


def _resolve(definition: ir.Definition, settings: Settings, page_names: Mapping[str, str]) -> ir.Definition:
    class_name = names.class_name(definition.name)
    if isinstance(definition, ir.Enum):
        members = names.unique([names.enum_member_name(v.value) for v in definition.values])
        values = tuple(dataclasses.replace(v, python_name=m) for v, m in zip(definition.values, members))
        own = overrides.lookup(settings.overrides, definition.name, "")
        is_open = own.open if own is not None and own.open is not None else {"all": True, "none": False}.get(settings.open_enums, definition.open)
        return dataclasses.replace(definition, python_name=class_name, values=values, open=is_open)
    # Point every reference at the name its page really defines (a link's text may differ).
    definition = _map_refs(definition, lambda ref, loc: ref if ref.name == page_names[ref.page] else ir.Ref(page_names[ref.page], ref.page))
    if isinstance(definition, ir.Union):
        return dataclasses.replace(definition, python_name=class_name)
    assert isinstance(definition, ir.Model)
    no_override = FieldOverride(NO_LOC, NO_LOC)
    found = [overrides.lookup(settings.overrides, definition.name, f.doc_name) or no_override for f in definition.fields] if settings.overrides else [no_override] * len(definition.fields)
    python_names = names.unique([o.python_name or names.python_identifier(f.doc_name) for f, o in zip(definition.fields, found)])
    wire_names = [o.wire_name or names.wire_name(f.doc_name, settings.wire_case) for f, o in zip(definition.fields, found)]
    shown_null = _null_in_examples(definition, wire_names)
    fields = []
    for f, override, python_name, wire_name in zip(definition.fields, found, python_names, wire_names):
        nullable, decided_by = _nullability(f, override, f.doc_name in shown_null, settings.nullable)
        fields.append(
            ir.Field(  # not dataclasses.replace: this runs for every field of every page, and is twice as fast
                doc_name=f.doc_name,
                wire_name=wire_name,
                python_name=python_name,
                type=f.type,
                required=f.required,
                nullable=nullable,
                nullable_decided_by=decided_by,
                description=f.description,
                examples=f.examples,
                deprecated=f.deprecated,
                loc=f.loc,
            )
        )
    return dataclasses.replace(definition, python_name=class_name, fields=tuple(fields))


def _null_in_examples(model: ir.Model, wire_names: list[str]) -> set[str]:
    """The doc names of the fields a `null` in the page's own example stands for: the field's
    Example cell, or the field's key at the top of the Example Usage object (by doc or wire name)."""
    shown = {f.doc_name for f in model.fields if any(e is None for e in f.examples)}
    for example in model.examples:
        if isinstance(example, dict):
            shown.update(f.doc_name for f, wire in zip(model.fields, wire_names) if any(k in example and example[k] is None for k in (f.doc_name, wire)))
    return shown


def _nullability(f: ir.Field, override: FieldOverride, shown_null: bool, setting: str) -> tuple[bool, ir.Decided]:
    """Whether a field accepts null, and who decided: the overrides file, then the page where it
    says null is fine, then a null in the page's own example (evidence beats what the page leaves
    out and what its dialect says by omission), then `nullable = "all"`, then the page where it
    says null is not, then the setting for what the page leaves open."""
    if override.nullable is not None:
        return override.nullable, "override"
    if f.nullable:
        return True, "page"
    if shown_null:
        return True, "example"
    if setting == "all":
        return True, "setting"
    if f.nullable is not None:
        return f.nullable, "page"
    return setting == "optional" and not f.required, "setting"


def _check_class_names(definitions: list[ir.Definition], problems: list[Problem]) -> None:
    seen: dict[str, ir.Definition] = {}
    for d in sorted(definitions, key=lambda d: d.loc):
        if d.python_name in seen:
            other = seen[d.python_name]
            problems.append(Problem(d.loc, f"model '{d.name}' becomes class {d.python_name}, as does '{other.name}' ({other.loc}); expected distinct names"))
        seen[d.python_name] = d
        if isinstance(d, ir.Model):
            wire: dict[str, ir.Field] = {}
            for f in d.fields:
                if f.wire_name in wire:
                    problems.append(Problem(f.loc, f"field '{f.doc_name}' has wire name '{f.wire_name}', as does '{wire[f.wire_name].doc_name}'; expected distinct wire names (set one in the overrides file)"))
                wire[f.wire_name] = f


def _check_overrides(settings: Settings, by_name: Mapping[str, ir.Definition], problems: list[Problem]) -> None:
    """Every entry of the overrides file matches something, and every type it sets names defined
    definitions: else an error at the entry's line."""
    broken_pages = {p.loc.path for p in problems}  # their fields may be missing for that reason
    for (model, field_name), override in settings.overrides.items():
        if overrides.is_pattern(model):
            candidates = [d for name, d in by_name.items() if overrides.matches(model, name)]
        else:
            definition = by_name.get(model)
            if definition is not None and definition.loc.path in broken_pages:
                continue
            candidates = [definition] if definition is not None else []
        if override.type is not None:
            for t in ir.walk(override.type):
                if isinstance(t, ir.Ref) and t.name not in by_name:
                    problems.append(Problem(override.type_loc, f"type '{t.name}' in an override, but no page defines it; expected {_closest(t.name, by_name)}"))
        if not field_name:  # an enum's own entry
            if not any(isinstance(d, ir.Enum) for d in candidates):
                what = f"pattern '{model}' matches no enum" if overrides.is_pattern(model) else f"'{model}' is a {type(candidates[0]).__name__.lower()}, not an enum" if candidates else f"override for unknown enum '{model}'"
                problems.append(Problem(override.loc, f"{what}; expected open for an enum defined by a page"))
            continue
        models = [d for d in candidates if isinstance(d, ir.Model)]
        if not models:
            what = f"pattern '{model}' matches no model" if overrides.is_pattern(model) else f"override for unknown model '{model}'"
            problems.append(Problem(override.model_loc, f"{what}; expected a model defined by a page"))
        elif not any(overrides.matches(field_name, f.doc_name) for d in models for f in d.fields):
            if len(models) == 1 and not overrides.is_pattern(field_name):
                known = ", ".join(f.doc_name for f in models[0].fields)
                problems.append(Problem(override.loc, f"override for unknown field '{model}.{field_name}'; expected one of: {known}"))
            else:
                problems.append(Problem(override.loc, f"'{model}.{field_name}' matches no field of {len(models)} model{'s' if len(models) > 1 else ''}; expected a field name or pattern that some model has"))
