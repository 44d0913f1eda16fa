"""Check-in instruments as data: the shipped pair, broken files, keys and rating checks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from trust_widgets import instrument as I
from trust_widgets.instrument import (
    DIR_ENV_VAR,
    ENV_VAR,
    InstrumentError,
    RatingsError,
    load_instrument,
    validate_ratings,
)

HEADER = (
    "field_name,form_name,section_header,field_type,field_label,select_choices_or_calculations,"
    "field_note,text_validation_min,text_validation_max,identifier,required_field"
)
ROW_A = 'calm,daily,,slider,"Today, I felt calm.","0, Not at all | 10, Very",,0,10,,y'
ROW_B = "close,daily,,slider,I felt close to you.,,,1,7,,y"
META = {
    "instrument": "my-scale",
    "version": "2",
    "title": "My scale",
    "licence": "Test wording.",
    "trust_items": ["calm"],
    "reverse_scored": [],
}
NAMES = ("predictability", "dependability", "faith", "safety", "anxiety", "communication")


@pytest.fixture
def shipped(monkeypatch):
    """The files in data/instruments/, read afresh, with no selection in the environment."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.delenv(DIR_ENV_VAR, raising=False)
    I.clear_cache()
    yield
    I.clear_cache()


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty instrument folder that the loader reads instead of data/instruments/."""
    monkeypatch.setenv(DIR_ENV_VAR, str(tmp_path))
    monkeypatch.delenv(ENV_VAR, raising=False)
    I.clear_cache()
    yield tmp_path
    I.clear_cache()


def write(folder, *rows: str, header: str = HEADER, meta: dict | None = None, key="my-scale-2"):
    (folder / f"{key}.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    (folder / f"{key}.json").write_text(json.dumps(meta or META, indent=2), encoding="utf-8")


def test_shipped_instrument_loads_with_the_agreed_names(shipped):
    """Does tw-checkin-1 load with the six agreed items, 0-10, anchors and its metadata?"""
    inst = load_instrument()
    assert inst.key == "tw-checkin-1"
    assert inst.item_names == NAMES
    assert inst.trust_items == ("predictability", "dependability", "faith")
    assert inst.reverse_scored == ("anxiety",)
    assert all((i.min, i.max) == (0, 10) and len(i.anchors) == 2 for i in inst.items)
    assert "own wording" in inst.licence and "TRUST_WIDGETS_INSTRUMENT" in inst.licence
    assert load_instrument("tw-checkin-1") is inst  # cached


def test_env_var_selects_another_instrument(folder, monkeypatch):
    """Does TRUST_WIDGETS_INSTRUMENT pick a dropped-in pair, with no code change?"""
    write(folder, ROW_A, ROW_B)
    monkeypatch.setenv(ENV_VAR, "my-scale-2")
    inst = load_instrument()
    assert inst.key == "my-scale-2" and inst.item_names == ("calm", "close")
    assert inst.items[0].anchors == ((0, "Not at all"), (10, "Very"))
    assert (inst.items[1].min, inst.items[1].max) == (1, 7)


def test_redcap_download_headers_and_plain_slider_labels_load(folder):
    """Does a dictionary with REDCap's web headers and 'left | middle | right' labels load?"""
    header = (
        '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label",'
        '"Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show '
        'Slider Number","Text Validation Min","Text Validation Max","Identifier?",'
        '"Branching Logic (Show field only if...)","Required Field?"'
    )
    write(folder, "calm,daily,,slider,Calm?,Low | Mid | High,,number,0,10,,,y", header=header)
    inst = load_instrument("my-scale-2")
    assert inst.items[0].anchors == ((0, "Low"), (5, "Mid"), (10, "High"))


@pytest.mark.parametrize(
    ("rows", "line", "problem"),
    [
        ((ROW_A, "close,daily,,radio,Close?,,,0,10,,y"), 3, "unknown field_type 'radio'"),
        ((ROW_A, "", "close,daily,,slider,Close?,,,10,0,,y"), 4, "must be below"),
        ((ROW_A, ROW_B, ROW_A), 4, "already on line 2"),
        (("Calm,daily,,slider,Calm?,,,0,10,,y",), 2, "field_name 'Calm'"),
        (("calm,daily,,slider,Calm?,,,0,ten,,y",), 2, "whole number"),
        (("calm,daily,,slider,Calm?,,,0,10,y,y",), 2, "identifier"),
        (('calm,daily,,slider,Calm?,"0, Not | Very",,0,10,,y',), 2, "anchors"),
        (('calm,daily,,slider,Calm?,"0, No | 11, Yes",,0,10,,y',), 2, "anchor 11"),
        (("calm,daily,,slider,Calm?,,,0,10,,y,extra",), 2, "12 values"),
        ((), 2, "no items"),
    ],
)
def test_broken_csv_names_file_and_line(folder, rows, line, problem):
    """Is each broken data dictionary refused with its file, line and problem?"""
    write(folder, *rows)
    with pytest.raises(InstrumentError) as err:
        load_instrument("my-scale-2")
    assert err.value.line == line and err.value.path.name == "my-scale-2.csv"
    assert f"my-scale-2.csv, line {line}: " in str(err.value) and problem in str(err.value)


def test_missing_column_is_reported_on_line_1(folder):
    """Does a dictionary without a required column name it, on line 1?"""
    header = HEADER.removesuffix(",required_field")
    write(folder, "calm,daily,,slider,Calm?,,,0,10,,", header=header)
    with pytest.raises(InstrumentError, match=r"my-scale-2.csv, line 1: missing column 'requir"):
        load_instrument("my-scale-2")


def test_multiline_label_reports_the_rows_first_line(folder):
    """Is a row whose quoted label spans lines reported at the line where it starts?"""
    write(folder, ROW_A, 'close,daily,,slider,"Two\nlines",,,0,10,,y', "x,daily,,dial,X,,,0,1,,")
    with pytest.raises(InstrumentError, match="line 5: unknown field_type 'dial'"):
        load_instrument("my-scale-2")


def test_not_utf8_is_reported_with_its_line(folder):
    """Does a file saved in another encoding say so, with the line?"""
    write(folder, ROW_A)
    path = folder / "my-scale-2.csv"
    path.write_bytes(path.read_bytes() + "calm2,daily,,slider,Café,,,0,10,,\n".encode("latin-1"))
    with pytest.raises(InstrumentError, match="line 3: not UTF-8"):
        load_instrument("my-scale-2")


@pytest.mark.parametrize(
    ("meta", "field", "problem"),
    [
        (META | {"version": "3"}, "instrument", "make my-scale-3, but the files are named"),
        (META | {"trust_items": ["nope"]}, "trust_items", "'nope', which is not in the CSV"),
        (META | {"trust_items": []}, "trust_items", "at least one"),
        (META | {"reverse_scored": "calm"}, "reverse_scored", "list of field names"),
        (META | {"version": "1.0"}, "version", "a-z and 0-9 only"),
        ({k: v for k, v in META.items() if k != "licence"}, None, "'licence' must be text"),
    ],
)
def test_broken_sidecar_names_file_and_line(folder, meta, field, problem):
    """Is each broken JSON sidecar refused with its file, the field's line and the problem?"""
    write(folder, ROW_A, meta=meta)
    text = (folder / "my-scale-2.json").read_text()
    line = text[: text.find(f'"{field}"')].count("\n") + 1 if field else 1
    with pytest.raises(InstrumentError) as err:
        load_instrument("my-scale-2")
    assert line > 1 or field is None
    assert f"my-scale-2.json, line {line}: " in str(err.value) and problem in str(err.value)


def test_invalid_json_gives_the_decoders_line(folder):
    """Does a sidecar that is not JSON report the line where parsing stopped?"""
    write(folder, ROW_A)
    (folder / "my-scale-2.json").write_text('{\n  "instrument": "my-scale",\n  oops\n}')
    with pytest.raises(InstrumentError, match=r"my-scale-2.json, line 3: not valid JSON"):
        load_instrument("my-scale-2")


@pytest.mark.parametrize("key", ["../secrets", "TW-1", "a/b", "", "x" * 41, "tw_checkin-1"])
def test_unsafe_keys_are_refused_before_any_file_is_touched(folder, key):
    """Is a key outside [a-z0-9-]{1,40} refused as a key, not looked up as a file?"""
    with pytest.raises(InstrumentError, match="is not an instrument key"):
        load_instrument(key)


def test_missing_pair_lists_the_available_ones(folder):
    """Does a key without files name the missing file and what is available?"""
    write(folder, ROW_A)
    with pytest.raises(InstrumentError, match=r"other-1.csv: no such file.*available: my-scale-2"):
        load_instrument("other-1")


def test_edited_file_is_read_again(folder):
    """Is an edited file picked up without a restart?"""
    write(folder, ROW_A)
    assert load_instrument("my-scale-2").item_names == ("calm",)
    write(folder, ROW_A, ROW_B + "    ")
    assert load_instrument("my-scale-2").item_names == ("calm", "close")


def test_checker_command_reports_each_pair(folder):
    """Does `python -m trust_widgets.instrument` say ok or name the problem, with its status?"""
    write(folder, ROW_A)
    write(folder, "x,daily,,dial,X,,,0,1,,", key="bad-1", meta=META | {"version": "1"})
    run = subprocess.run(
        [sys.executable, "-m", "trust_widgets.instrument"], capture_output=True, text=True
    )
    assert run.returncode == 1
    assert "bad-1.csv, line 2: unknown field_type 'dial'" in run.stdout
    assert "ok: my-scale-2" in run.stdout


def test_validate_ratings_accepts_a_full_set(shipped):
    """Does a full set of whole numbers in range come back clean, in item order?"""
    inst = load_instrument()
    ratings = {n: 10 - k for k, n in enumerate(reversed(NAMES))}
    assert list(validate_ratings(inst, ratings)) == list(NAMES)


def test_validate_ratings_reports_each_item(shipped):
    """Is every problem reported against its own item, and unknown names refused?"""
    inst = load_instrument()
    ratings = dict.fromkeys(NAMES, 5) | {
        "faith": 11,
        "safety": 2.5,
        "anxiety": True,
        "extra": 3,
    }
    del ratings["communication"]
    with pytest.raises(RatingsError) as err:
        validate_ratings(inst, ratings)
    errors = err.value.errors
    assert set(errors) == {"faith", "safety", "anxiety", "communication", "extra"}
    assert "from 0 to 10" in errors["faith"] and "whole number" in errors["safety"]
    assert isinstance(err.value, ValueError) and "faith:" in str(err.value)


def test_validate_ratings_refuses_non_mappings(shipped):
    """Is something that is not a mapping refused with a message, not a crash?"""
    with pytest.raises(RatingsError):
        validate_ratings(load_instrument(), [("faith", 5)])


def test_module_stays_light():
    """Does importing the loader leave pydantic, pandas and SQLAlchemy unimported?"""
    code = (
        "import sys, trust_widgets.instrument as m; m.load_instrument();"
        "print(sorted(n for n in ('pydantic', 'pandas', 'sqlalchemy') if n in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
