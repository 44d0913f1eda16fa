"""Help resources as data: the shipped files, and clear errors for broken ones."""

from __future__ import annotations

import os

import pytest

from trust_widgets import resources
from trust_widgets.resources import (
    CATEGORIES,
    ENV_VAR,
    ResourceFileError,
    available_regions,
    load_resources,
)

HEADER = "category,name,phone,text,url,hours,description"
GOOD = "crisis,Emergency services,911,,,24/7,Call when in danger"


@pytest.fixture
def shipped(monkeypatch):
    """The files in data/resources/, read afresh."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    resources.clear_cache()
    yield
    resources.clear_cache()


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty resource folder that the loader reads instead of data/resources/."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    resources.clear_cache()
    yield tmp_path
    resources.clear_cache()


def write(folder, region: str, *lines: str, header: str = HEADER) -> None:
    (folder / f"{region}.csv").write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")


def error_for(region: str) -> str:
    with pytest.raises(ResourceFileError) as info:
        load_resources(region)
    return str(info.value)


def test_shipped_files_load_and_are_offered(shipped):
    """Do the International and US files load, and does the region switch offer both?"""
    assert available_regions()[:1] == [("intl", "International")]
    assert ("us", "United States") in available_regions()
    for region in ("intl", "us"):
        assert len(load_resources(region)) >= 8


def test_every_shipped_row_can_be_reached(shipped):
    """Does every shipped row have a phone, text or https url, and a known category?"""
    for region, _name in available_regions():
        for r in load_resources(region):
            assert r.phone or r.text or r.url, r.name
            assert r.url == "" or r.url.startswith("https://"), r.name
            assert r.category in CATEGORIES and len(r.name) <= 120


def test_us_file_has_the_hotline_and_crisis_lines(shipped):
    """Does the US list carry the domestic-violence hotline, 988, 911 and the directories?"""
    us = load_resources("us")
    hotline = next(r for r in us if r.name == "National Domestic Violence Hotline")
    assert (hotline.category, hotline.phone) == ("abuse", "1-800-799-7233")
    assert hotline.text == "START to 88788" and hotline.url == "https://www.thehotline.org"
    phones = {r.phone for r in us}
    assert {"988", "911"} <= phones
    urls = {r.url for r in us}
    assert "https://www.psychologytoday.com/us/therapists" in urls
    assert "https://www.aamft.org" in urls


def test_international_file_invents_no_numbers(shipped):
    """Does the International list point to local numbers instead of listing made-up ones?"""
    intl = load_resources("intl")
    assert {r.phone for r in intl if r.phone} == {
        "your local emergency number",
        "your doctor's usual number",
    }
    assert any(r.url == "https://findahelpline.com" for r in intl)
    assert {r.category for r in intl} == set(CATEGORIES)


def test_unknown_category_names_file_and_line(folder):
    """Does an unknown category name the file, the line and the categories to use?"""
    write(folder, "xx", GOOD, "therapy,Dr Who,,,https://example.org,,")
    message = error_for("xx")
    assert "xx.csv, line 3: unknown category 'therapy'" in message
    assert "couples-therapy" in message


def test_missing_column_names_file_and_line(folder):
    """Does a file without a url column name the file, line 1 and the column?"""
    write(
        folder,
        "xx",
        "crisis,Emergency,911,,24/7,x",
        header="category,name,phone,text,hours,description",
    )
    assert "xx.csv, line 1: missing column 'url'" in error_for("xx")


def test_unknown_column_is_reported(folder):
    """Is a misspelt column reported instead of silently ignored?"""
    write(folder, "xx", GOOD, header=HEADER.replace("description", "desciption"))
    assert "line 1: unknown column 'desciption'" in error_for("xx")


def test_bad_url_names_file_and_line(folder):
    """Is a plain-http url refused, with the file and line?"""
    write(folder, "xx", GOOD, GOOD, "finding-help,Directory,,,http://example.org,,")
    assert "xx.csv, line 4: the url must start with https://" in error_for("xx")


def test_row_without_contact_names_file_and_line(folder):
    """Is a row with no phone, text or url refused, with the file and line?"""
    write(folder, "xx", GOOD, "support-group,A group,,,,Mondays,Nice people")
    message = error_for("xx")
    assert "xx.csv, line 3:" in message and "no phone, text or url" in message


def test_bad_region_name_names_file_and_line(folder):
    """Does a region_name that contradicts an earlier row, or is too long, name the line?"""
    header = HEADER + ",region_name"
    write(folder, "xx", GOOD + ",Ireland", GOOD + ",", GOOD + ",Eire", header=header)
    assert "xx.csv, line 4: region_name 'Eire' differs from 'Ireland'" in error_for("xx")
    write(folder, "yy", GOOD + "," + "x" * 61, header=header)
    assert "yy.csv, line 2: region_name is longer than 60 characters" in error_for("yy")


def test_long_name_and_wrong_field_count_name_the_line(folder):
    """Are an over-long name and a row with a stray comma reported at their lines?"""
    write(folder, "xx", GOOD, "crisis," + "n" * 121 + ",911,,,,")
    assert "line 3: name is longer than 120 characters" in error_for("xx")
    write(folder, "yy", GOOD, "crisis,Line,911,,,24/7,Open, day and night")
    assert "yy.csv, line 3: 8 values, but the first line names 7 columns" in error_for("yy")


def test_line_numbers_count_blank_and_multiline_rows(folder):
    """Do reported line numbers match what a text editor shows?"""
    write(folder, "xx", GOOD, "", 'crisis,Line,911,,,,"two\nlines"', "bogus,x,1,,,,")
    assert "line 6: unknown category 'bogus'" in error_for("xx")


def test_bad_region_codes_are_refused(folder):
    """Are region codes that could leave the folder refused, and odd file names not offered?"""
    write(folder, "ok", GOOD)
    (folder / "US.csv").write_text(HEADER + "\n" + GOOD + "\n", encoding="utf-8")
    (folder / "new-zealand.csv").write_text(HEADER + "\n" + GOOD + "\n", encoding="utf-8")
    for bad in ("../etc", "US", "x", "toolongcode", "", "us.csv"):
        with pytest.raises(ValueError, match="not a region code"):
            load_resources(bad)
    assert [code for code, _ in available_regions()] == ["ok"]


def test_unknown_region_is_a_clear_value_error(folder):
    """Does asking for a region without a file say which file is missing and what exists?"""
    write(folder, "ok", GOOD)
    with pytest.raises(ValueError, match=r"no resource list for region 'zz'.*Available: ok"):
        load_resources("zz")


def test_broken_file_is_left_out_of_the_switch(folder, caplog):
    """Does one broken file leave the other regions working, with the problem in the log?"""
    write(folder, "ok", GOOD)
    write(folder, "bad", "nonsense,x,1,,,,")
    assert available_regions() == [("ok", "OK")]
    assert "bad.csv, line 2" in caplog.text


def test_spreadsheet_exports_load(folder):
    """Do files with a byte-order mark, CRLF line ends and trailing empty rows load?"""
    text = "\ufeff" + HEADER + "\r\n" + GOOD + "\r\n,,,,,,\r\n"
    (folder / "xx.csv").write_text(text, encoding="utf-8", newline="")
    assert [r.name for r in load_resources("xx")] == ["Emergency services"]


def test_non_utf8_file_names_the_line(folder):
    """Does a file saved in the wrong encoding name the line with the bad byte?"""
    (folder / "xx.csv").write_bytes(
        (HEADER + "\n" + GOOD + "\n").encode() + b"abuse,Caf\xe9,1,,,,\n"
    )
    assert "xx.csv, line 3: this is not UTF-8 text" in error_for("xx")


def test_empty_files_are_reported(folder):
    """Are an empty file and a header-only file reported, not shown as empty lists?"""
    (folder / "xx.csv").write_text("", encoding="utf-8")
    assert "xx.csv, line 1: the file is empty" in error_for("xx")
    write(folder, "yy")
    assert "yy.csv, line 2: no resources" in error_for("yy")


def test_edited_file_is_read_again(folder):
    """Does a facilitator's edit show up without restarting the server?"""
    write(folder, "xx", GOOD)
    assert len(load_resources("xx")) == 1
    write(folder, "xx", GOOD, GOOD)
    stat = (folder / "xx.csv").stat()
    os.utime(folder / "xx.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert len(load_resources("xx")) == 2


def test_region_names_come_from_file_then_built_in_map(folder):
    """Is the region's name taken from its file, else from the built-in map?"""
    write(folder, "intl", GOOD)
    write(folder, "ie", GOOD + ",Ireland", header=HEADER + ",region_name")
    assert available_regions() == [("intl", "International"), ("ie", "Ireland")]


def test_checker_command_reports_each_file(folder, capsys):
    """Does `python -m trust_widgets.resources` say ok or name the broken line?"""
    write(folder, "ok", GOOD)
    assert resources.main() == 0
    write(folder, "bad", "nonsense,x,1,,,,")
    assert resources.main() == 1
    out = capsys.readouterr().out
    assert "ok:" in out and "bad.csv, line 2: unknown category 'nonsense'" in out
