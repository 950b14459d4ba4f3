"""The Ruby dialect (generator/parse/ruby.py), one test per construct of its grammar, from small
inline pages: Sorbet types (`*::String*`, `T.nilable(...)`, `T::Array<...>`, `T::Hash[Symbol, ...]`,
`T.any(...)`), the Crystalline forms of newer SDKs, the older forms without `::`, the ruby-doc.org
date links, the SDK's Faraday objects, the nullability rule, errors that stay errors, detection,
and one generated package imported and round-tripped."""

from __future__ import annotations

import datetime
import importlib
import sys
import typing
from pathlib import Path

import pytest

from docmodels import ir
from docmodels.parse import parse_page
from docmodels.parse.dialects import sniff
from pages import line_of, model_page, one_field, one_field_error, page, row, run_cli, write_files

DIR = "docs/models/components"
PAGE = f"{DIR}/thing.md"
REQ, OPT = ":heavy_check_mark:", ":heavy_minus_sign:"
STRING, INTEGER, NUMBER = ir.Primitive("string"), ir.Primitive("integer"), ir.Primitive("number")
BOOLEAN, ANY = ir.Primitive("boolean"), ir.Primitive("any")
DATE, DATE_TIME = ir.Primitive("date"), ir.Primitive("date-time")
NULL = ir.LiteralValue(None)
RUBY_DATE = "[Date](https://ruby-doc.org/stdlib-2.6.1/libdoc/date/rdoc/Date.html)"
RUBY_DATE_TIME = "[DateTime](https://ruby-doc.org/stdlib-2.6.1/libdoc/date/rdoc/DateTime.html)"
FARADAY = "[Faraday::Response](https://www.rubydoc.info/gems/faraday/Faraday/Response)"


def field(type_cell: str, required: str = REQ) -> ir.Field:
    """The one field of a page whose only row has `type_cell`, read in the Ruby dialect."""
    one: ir.Field = one_field("ruby", type_cell, required == REQ, PAGE)
    return one


def type_of(type_cell: str, required: str = REQ) -> ir.TypeExpr:
    return field(type_cell, required).type


def error_of(type_cell: str) -> str:
    return one_field_error("ruby", type_cell, PAGE)


# == primitives ====================================================================================


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("*::String*", STRING),
        ("*::Integer*", INTEGER),
        ("*::Float*", NUMBER),
        ("*T::Boolean*", BOOLEAN),
        ("*::Object*", ANY),
        ("*T.untyped*", ANY),
    ],
)
def test_sorbet_primitives(cell, expected):
    assert type_of(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("*String*", STRING), ("*Integer*", INTEGER), ("*Float*", NUMBER), ("*Object*", ANY), ("*T.nilable(String)*", STRING)],
)
def test_older_sdks_write_the_names_without_leading_colons(cell, expected):
    assert type_of(cell, OPT) == expected


def test_crystalline_boolean_and_nilable():
    """Newer SDKs without Sorbet: `Crystalline::Boolean.new`, `Crystalline::Nilable.new(...)`."""
    assert type_of("*Crystalline::Boolean.new*") == BOOLEAN
    nilable = field("*Crystalline::Nilable.new(Crystalline::Boolean.new)*")
    assert (nilable.type, nilable.nullable) == (BOOLEAN, True)
    assert type_of("*Crystalline::Nilable.new(::String)*", OPT) == STRING


# == nullability ===================================================================================


def test_nilable_on_a_required_field_is_nullable():
    f = field("*T.nilable(::String)*", REQ)
    assert (f.type, f.required, f.nullable) == (STRING, True, True)


def test_nilable_on_an_optional_field_says_nothing():
    """Every optional field is nilable in the docs, so the setting decides."""
    f = field("*T.nilable(::Integer)*", OPT)
    assert (f.type, f.required, f.nullable) == (INTEGER, False, None)


@pytest.mark.parametrize("cell", ["*::String*", "T::Array<*::String*>", "T::Hash[Symbol, *::String*]", RUBY_DATE])
def test_a_bare_required_type_says_nothing(cell):
    """Older generators leave required nullable fields bare too (`<nil>` examples on them), and
    arrays, hashes and dates are never wrapped: the setting decides, not the cell."""
    f = field(cell, REQ)
    assert (f.required, f.nullable) == (True, None)


# == containers ====================================================================================


def test_arrays():
    assert type_of("T::Array<*::String*>") == ir.Array(STRING)
    assert type_of("T::Array<T::Array<*::Integer*>>") == ir.Array(ir.Array(INTEGER))
    assert type_of("Crystalline::Array<*::Float*>") == ir.Array(NUMBER)
    item = ir.Ref("Tag", f"{DIR}/tag.md")
    assert type_of("T::Array<[Models::Components::Tag](tag.md)>") == ir.Array(item)


def test_hashes():
    assert type_of("T::Hash[Symbol, *::String*]") == ir.Map(STRING)
    assert type_of("T::Hash[Symbol, T::Array<*::String*>]") == ir.Map(ir.Array(STRING))
    assert type_of("T::Hash[Symbol, *::Object*]") == ir.Map(ANY)
    assert type_of("Crystalline::Hash[Symbol, *::Object*]") == ir.Map(ANY)


def test_containers_written_as_code():
    """Inside a link or an emphasis a type is code: `T::Array[X]`, `Crystalline::Array.new(X)`,
    `Crystalline::Hash.new(Symbol, X)`, and a nilable around them."""
    assert type_of("[Crystalline::Array.new(Models::Operations::Entry)](../operations/entry.md)") == ir.Array(ir.Ref("Entry", "docs/models/operations/entry.md"))
    f = field("*T.nilable(T::Array[::String])*")
    assert (f.type, f.nullable) == (ir.Array(STRING), True)
    assert type_of("*Crystalline::Hash.new(Symbol, Object)*") == ir.Map(ANY)
    assert type_of("*T::Hash[Symbol, Object]*") == ir.Map(ANY)


# == references ====================================================================================


def test_links_to_model_pages():
    """The last constant names the model; the link gives its page, relative to this one."""
    assert type_of("[Models::Components::Mode](../../models/shared/mode.md)") == ir.Ref("Mode", "docs/models/shared/mode.md")
    assert type_of("[Shared::Kind](kind.md)") == ir.Ref("Kind", f"{DIR}/kind.md")
    f = field("[T.nilable(Models::Components::Logo)](logo.md)", REQ)
    assert (f.type, f.nullable) == (ir.Ref("Logo", f"{DIR}/logo.md"), True)
    assert field("[Crystalline::Nilable.new(Models::Components::Logo)](logo.md)", OPT).type == ir.Ref("Logo", f"{DIR}/logo.md")


def test_unions_are_read_from_the_link_text():
    """A union's page holds only its title; the link's text names the members, found by name."""
    cell = "[T.nilable(T.any(Models::Operations::OptimizedForStreaming1, T::Boolean))](optimizedforstreaming.md)"
    f = field(cell, OPT)
    assert (f.type, f.nullable) == (ir.OneOf((ir.Ref("OptimizedForStreaming1", ""), BOOLEAN)), None)
    crystalline = "[Crystalline::Union.new(Models::Components::A, ::String, Crystalline::Array.new(::Integer))](u.md)"
    assert type_of(crystalline) == ir.OneOf((ir.Ref("A", ""), STRING, ir.Array(INTEGER)))


def test_discriminated_union():
    cell = "[Crystalline::DiscriminatedUnion.new('type', { 'cat' => Models::Components::Cat, 'dog' => Models::Components::Dog })](pet.md)"
    assert type_of(cell) == ir.OneOf((ir.Ref("Cat", ""), ir.Ref("Dog", "")))


def test_nilable_inside_a_union_adds_null():
    assert type_of("*T.any(::String, T.nilable(::Integer))*") == ir.OneOf((STRING, INTEGER, NULL))


# == dates, SDK objects ============================================================================


def test_ruby_doc_date_links_are_swapped():
    """Speakeasy's Ruby docs link date-time fields as [Date](...Date.html) (`created_on`,
    `2024-05-06T12:20:38.184Z`) and date fields as [DateTime](...DateTime.html) (`2022-12-14`)."""
    assert type_of(RUBY_DATE) == DATE_TIME
    assert type_of(RUBY_DATE_TIME) == DATE


def test_dates_written_as_code_are_not_swapped():
    assert type_of("*T.any(::DateTime, ::Date)*") == ir.OneOf((DATE_TIME, DATE))


def test_faraday_response_is_left_out():
    text = model_page("Result", row("status_code", "*::Integer*"), row("raw_response", FARADAY))
    model, problems = parse_page(PAGE, text, dialect="ruby")
    assert problems == []
    assert isinstance(model, ir.Model)
    assert [f.doc_name for f in model.fields] == ["status_code"]
    assert [(x.name, x.loc.line) for x in model.left_out] == [("raw_response", line_of(text, "raw_response"))]
    assert "Faraday::Response" in model.left_out[0].reason


# == errors ========================================================================================


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("*::Strng*", "unknown type '::Strng'"),
        ("*Thing*", "unknown type 'Thing'"),
        ("T::Array<*::String*", "the type ends too early ('>' missing)"),
        ("T::Hash[Integer, *::String*]", "hash key type 'Integer'"),
        ("*T.nilable(::String*", "the type ends too early (')' missing)"),
        ("*::String*, *::Integer*", "unexpected ','"),
    ],
)
def test_cells_that_do_not_parse_stay_errors(cell, message):
    got = error_of(cell)
    assert message in got and "in column Type" in got and "expected *::String*" in got


def test_link_to_a_web_page_is_an_error():
    assert "not at a model page" in error_of("[Models::Components::X](https://example.com/x)")


# == detection =====================================================================================


def test_ruby_cells_tell_a_ruby_page():
    assert sniff(model_page("A", row("a", "*::String*"))) == "ruby"
    assert sniff(model_page("B", row("b", "T::Array<[Models::Components::X](x.md)>"))) == "ruby"
    assert sniff(model_page("C", row("c", "*Crystalline::Nilable.new(::Integer)*"))) == "ruby"


def test_double_colons_in_an_enum_value_are_no_cue():
    """An enum's `Name | Value` rows are read as type text by detection; a value `Runbooks::Step`
    (a Go page's) says nothing about the language."""
    enum = "# Kind\n\n## Values\n\n| Name | Value |\n| --- | --- |\n| `KindStep` | Runbooks::Step |\n"
    assert sniff(enum) is None


def test_enum_constant_in_a_ruby_example_is_the_example():
    text = page(
        """
        # Mode

        ## Example Usage

        ```ruby
        require "moov_ruby"

        value = Mode::PRODUCTION
        ```


        ## Values

        | Name         | Value        |
        | ------------ | ------------ |
        | `SANDBOX`    | sandbox      |
        | `PRODUCTION` | production   |
        """
    )
    enum, problems = parse_page(f"{DIR}/mode.md", text)
    assert problems == []
    assert isinstance(enum, ir.Enum) and enum.examples == ("production",)


# == end to end ====================================================================================

ACCOUNT = page(
    """
    # Account

    ## Fields

    | Field | Type | Required | Description | Example |
    | --- | --- | --- | --- | --- |
    | `account_id` | *::String* | :heavy_check_mark: | N/A | c520f1b9 |
    | `mode` | [Models::Components::Mode](../../models/components/mode.md) | :heavy_check_mark: | N/A | sandbox |
    | `created_on` | [Date](https://ruby-doc.org/stdlib-2.6.1/libdoc/date/rdoc/Date.html) | :heavy_check_mark: | N/A | 2024-05-06T12:20:38Z |
    | `birth_date` | [DateTime](https://ruby-doc.org/stdlib-2.6.1/libdoc/date/rdoc/DateTime.html) | :heavy_minus_sign: | N/A | 2022-12-14 |
    | `logo` | [T.nilable(Models::Components::Logo)](../../models/components/logo.md) | :heavy_check_mark: | N/A | |
    | `tags` | T::Array<*::String*> | :heavy_minus_sign: | N/A | |
    | `metadata` | T::Hash[Symbol, *::Integer*] | :heavy_minus_sign: | N/A | |
    | `raw_response` | [Faraday::Response](https://www.rubydoc.info/gems/faraday/Faraday/Response) | :heavy_check_mark: | N/A | |
    """
)
LOGO = model_page("Logo", row("url", "*::String*"), row("width", "*T.nilable(::Float)*", OPT))
MODE = "# Mode\n\n## Values\n\n| Name | Value |\n| --- | --- |\n| `SANDBOX` | sandbox |\n| `PRODUCTION` | production |\n"


@pytest.fixture(scope="module")
def ruby_pkg(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("ruby")
    write_files(
        base,
        {
            "pyproject.toml": "[project]\nname = 'tmp'\n\n[tool.docmodels]\n",
            f"specs/{DIR}/account.md": ACCOUNT,
            f"specs/{DIR}/logo.md": LOGO,
            f"specs/{DIR}/mode.md": MODE,
        },
    )
    result = run_cli(base, "generate", "specs", "-o", "out/ruby_pkg", "--wire-case", "camel")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    sys.path.insert(0, str(base / "out"))
    try:
        yield importlib.import_module("ruby_pkg.models")
    finally:
        sys.path.remove(str(base / "out"))
        for name in [m for m in sys.modules if m.split(".")[0] == "ruby_pkg"]:
            del sys.modules[name]


def test_generated_package_round_trips(ruby_pkg):
    account_cls = ruby_pkg.Account
    hints = typing.get_type_hints(account_cls)
    assert hints["created_on"] is datetime.datetime
    assert "raw_response" not in hints
    data = {
        "accountId": "c520f1b9",
        "mode": "production",
        "createdOn": "2024-05-06T12:20:38+00:00",
        "birthDate": "2022-12-14",
        "logo": None,
        "tags": ["a", "b"],
        "metadata": {"x": 1},
    }
    account = account_cls.from_dict(data)
    assert account.created_on == datetime.datetime(2024, 5, 6, 12, 20, 38, tzinfo=datetime.timezone.utc)
    assert account.birth_date == datetime.date(2022, 12, 14)
    assert account.logo is None and account.mode == ruby_pkg.Mode.PRODUCTION
    assert account.to_dict() == data
    with_logo = account_cls.from_dict({**data, "logo": {"url": "https://x/logo.png", "width": 1.5}})
    assert type(with_logo.logo) is ruby_pkg.Logo and with_logo.logo.width == 1.5
