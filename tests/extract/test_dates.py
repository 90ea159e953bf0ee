import re
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsetl.extract import dates
from newsetl.extract.dates import find_dates, fold_like_ignorecase, parse_date

SNAPSHOT = datetime(2024, 6, 20, 12, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布时间:2024-06-19 11:06:00", datetime(2024, 6, 19, 11, 6)),
        ("Sputnik Việt Nam, 1920, 19.06.2024", datetime(2024, 6, 19)),
        ("vào ngày 19/6 tại Bình Nhưỡng", datetime(2024, 6, 19)),
        ("对话6月18日在首尔举行", datetime(2024, 6, 18)),
        ("18 Tháng Sáu 2024", datetime(2024, 6, 18)),
        ("18 Tháng Sáu", datetime(2024, 6, 18)),
        ("June 19, 2024", datetime(2024, 6, 19)),
        ("Published 19 June 2024 at 10:30", datetime(2024, 6, 19, 10, 30)),
        ("le 19 juin 2024", datetime(2024, 6, 19)),
        ("19 июня 2024 г.", datetime(2024, 6, 19)),
        ("8 de mayo de 2022", datetime(2022, 5, 8)),
        ("19. Juni 2024", datetime(2024, 6, 19)),
        ("الجمعة 8 فيفري 2019", datetime(2019, 2, 8)),
        ("TNW中文站2016年10月14日07:17", datetime(2016, 10, 14, 7, 17)),
        ("2026년 7월 12일", None),  # after the snapshot
        ("1920", None),  # an image width, not a date
        ("width=1920 height=1080", None),
    ],
)
def test_date_forms(text, expected):
    found = parse_date(text, SNAPSHOT)
    assert (found.at if found else None) == expected


def test_year_inferred_from_context():
    found = parse_date("ngày 19/6", SNAPSHOT, context_year=2023)
    assert found.at == datetime(2023, 6, 19)
    assert not found.has_year


def test_yearless_date_after_snapshot_goes_to_previous_year():
    found = parse_date("12月25日", datetime(2025, 1, 10))
    assert found.at == datetime(2024, 12, 25)


def test_dates_after_snapshot_are_rejected():
    assert parse_date("2024-06-21", datetime(2024, 6, 19)) is None
    assert parse_date("2024-06-19", datetime(2024, 6, 19, 23, 0)) is not None


def test_timezone_kept_when_given():
    found = parse_date("2024-06-19T11:06:00+08:00", SNAPSHOT)
    assert found.at == datetime(2024, 6, 19, 11, 6)
    assert found.tz == "+08:00"
    assert parse_date("2024-06-19T03:06:00Z", SNAPSHOT).tz == "+00:00"
    assert parse_date("2024-06-19 11:06", SNAPSHOT).tz is None


def test_month_first_only_for_slashes_when_asked():
    assert parse_date("06/05/2024", SNAPSHOT).at == datetime(2024, 5, 6)
    assert find_dates("06/05/2024", SNAPSHOT, month_first=True)[0].at == datetime(2024, 6, 5)


_CASE_TRICKY = "iIıİsSſkKKµμΜσςΣθϑβϐтᲄᲅ"


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.one_of(st.sampled_from(_CASE_TRICKY), st.characters()), min_size=1, max_size=1),
    st.text(alphabet=st.one_of(st.sampled_from(_CASE_TRICKY), st.characters()), min_size=1, max_size=1),
)
def test_folding_equates_exactly_the_characters_ignorecase_equates(a, b):
    matched = re.fullmatch(re.escape(a), b, re.IGNORECASE) is not None
    assert matched == (fold_like_ignorecase(a) == fold_like_ignorecase(b))


def test_the_private_case_table_is_what_upper_and_lower_give():
    """dates reads re's private table of extra IGNORECASE pairs (re._casefix): it must still be the pairs of
    lower-case characters that share an upper case, as str.upper()/str.lower() say today."""
    sharing: dict[str, set[str]] = {}
    for char in map(chr, range(0x10000)):
        sharing.setdefault(char.upper(), set()).add(char.lower())
    derived = {
        ord(char): tuple(sorted(ord(other) for other in group if other != char))
        for group in sharing.values()
        if len(group) > 1 and all(len(member) == 1 for member in group)
        for char in group
    }
    assert {code: tuple(sorted(partners)) for code, partners in dates._EXTRA_CASES.items()} == derived
    assert {ord("ı"), ord("ſ"), ord("ς"), ord("ϐ"), ord("ϑ")} <= set(dates._EXTRA_CASES)  # Turkish, Greek


def test_folding_equates_what_ignorecase_equates_on_every_extra_pair():
    chars = {chr(code) for code, partners in dates._EXTRA_CASES.items() for code in (code, *partners)}
    chars |= {char.upper() for char in chars if len(char.upper()) == 1} | {"İ", "I", "i"}
    for a in chars:
        for b in chars:
            matched = re.fullmatch(re.escape(a), b, re.IGNORECASE) is not None
            assert matched == (fold_like_ignorecase(a) == fold_like_ignorecase(b)), (a, b)


def _case_variants(name: str) -> list[str]:
    """name upper-cased, title-cased, and with each letter swapped for each character IGNORECASE equates it with."""
    variants = [name.upper(), name.title(), name.swapcase()]
    for at, char in enumerate(name):
        others = dates._EXTRA_CASES.get(ord(char.lower()), ())
        variants += [name[:at] + chr(other) + name[at + 1 :] for other in others]
        variants += [name[:at] + chr(other).upper() + name[at + 1 :] for other in others]
    return [variant for variant in variants if len(variant) == len(name)]


def test_every_month_name_in_any_case_ignorecase_matches_is_found():
    for name in dates.MONTHS:
        for variant in _case_variants(name):
            if re.fullmatch(re.escape(name), variant, re.IGNORECASE):
                assert dates._holds_month_name(f"19 {variant} 2024"), (name, variant)


_MONTHISH = st.sampled_from(
    [
        "19 ",
        "3. ",
        "1st ",
        "de ",
        "JUNI ",
        "Mayıs ",
        "MAYIS ",
        "tháng Sáu ",
        "Ιουνίου ",
        "июня ",
        "SEPT.",
        "2024",
        " ",
        "-",
        "fevereiro ",
        "İ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_MONTHISH, st.text(max_size=4)), max_size=10).map("".join))
def test_the_month_name_prefilter_never_hides_a_day_month_date(text):
    d_month = dict(dates._PATTERNS)["d_month"]
    assert dates._holds_month_name(text) or d_month.search(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年6月19日18時30分", datetime(2024, 6, 19, 18, 30)),
        ("2024年6月19日 18时30分", datetime(2024, 6, 19, 18, 30)),
        ("2024년 6월 19일 14시 05분", datetime(2024, 6, 19, 14, 5)),
    ],
)
def test_cjk_clock_times_are_kept(text, expected):
    assert parse_date(text, SNAPSHOT).at == expected


def test_printed_offset_is_kept():
    found = parse_date("19 June 2024 14:00 GMT+2", SNAPSHOT)
    assert (found.at, found.tz) == (datetime(2024, 6, 19, 14, 0), "+02:00")


@pytest.mark.parametrize(
    "text",
    [
        "© 2020 Example Media",
        "Copyright 2012-2019 Example Inc.",
        "(点击：1995)",
        "Since 2003",
        "© 2024-03-04 Example",
        "Copyright 1 June 2019 Example",
        "Maria: June 3, 2024 at 5:00 pm Reply",
        "版权所有 2023年5月1日",
    ],
)
def test_copyright_lines_years_and_comments_give_no_date(text):
    assert find_dates(text, SNAPSHOT) == []


def test_a_copyright_line_does_not_hide_the_next_line():
    found = find_dates("© 2019 Example\nPublished 3 June 2020", SNAPSHOT)
    assert [f.at for f in found] == [datetime(2020, 6, 3)]


def test_a_copyright_mark_after_the_date_names_the_photo_holder_and_keeps_the_date():
    found = find_dates("Published 5 November 2023, 14:09 / © Example Agency", SNAPSHOT)
    assert [f.at for f in found] == [datetime(2023, 11, 5, 14, 9)]
