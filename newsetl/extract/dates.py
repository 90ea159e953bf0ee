"""Publication dates written the many ways pages print them, checked for plausibility.

Compiled regexes instead of dateparser: about a hundred times cheaper per call, and dateparser
misreads Chinese and Vietnamese forms such as "6月18日" or "ngày 19/6". Month names come from CLDR
(Babel, offline) so that every locale listed gets full and abbreviated forms without typing them.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from re import _casefix  # type: ignore[attr-defined]  # re.IGNORECASE's extra case pairs; private, not in typeshed

import ahocorasick_rs
from babel.dates import get_month_names

# Locales whose month names we recognise; regional Arabic variants spell months differently
# (Maghreb "فيفري", Levant "شباط").
_MONTH_LOCALES = (
    "en",
    "fr",
    "de",
    "es",
    "pt",
    "it",
    "nl",
    "ru",
    "uk",
    "pl",
    "cs",
    "ro",
    "tr",
    "id",
    "sv",
    "da",
    "nb",
    "fi",
    "hu",
    "el",
    "ca",
    "ar",
    "ar_TN",
    "ar_DZ",
    "ar_MA",
    "ar_LB",
    "ar_IQ",
    "fa",
    "he",
    "vi",
)
# CLDR gives Vietnamese months as "tháng 6"; pages also spell the number out ("Tháng Sáu").
_VI_SPELLED = ("một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười một", "mười hai")
_OLDEST_YEAR = 1990


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for locale in _MONTH_LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context=context, locale=locale).items():
                    name = name.lower().rstrip(".")
                    # Two-letter abbreviations ("mi", "ma") would match ordinary words.
                    if len(name) >= 3 and not name[0].isdigit():
                        table.setdefault(name, number)
    for number, word in enumerate(_VI_SPELLED, start=1):
        table[f"tháng {word}"] = number
    for number in range(1, 13):
        table[f"tháng {number}"] = number
        table[f"thg {number}"] = number
    table.setdefault("sept", 9)
    return table


MONTHS = _month_table()
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))

_TIME = r"(?:[T\s,]{0,3}(?:at\s+|à\s+|às\s+|um\s+|a\s+las\s+|alle\s+|в\s+)?(?P<H>\d{1,2})(?:[:：h]|\s?[時时시]\s?)(?P<M>\d{2})(?:[分분])?(?::(?P<S>\d{2}))?(?:\.\d+)?)?"
_TZ = r"(?:\s?(?P<tz>Z|[+-]\d{2}:?\d{2}|(?:GMT|UTC)(?:[+-]\d{1,2}(?::?\d{2})?)?(?![A-Za-z])))?"
_NOT_DIGIT_BEFORE = r"(?<![\d./-])"
_NOT_DIGIT_AFTER = r"(?![\d])"

_PATTERNS = [
    # 2024-06-19 11:06:00, 2024/6/19, 2024.06.19, 2024年6月19日 11:06, 2026년 7월 12일, ISO with offset
    (
        "ymd",
        re.compile(
            _NOT_DIGIT_BEFORE
            + r"(?P<y>(?:19|20)\d{2})\s?(?:[-/.]|年|년)\s?(?P<m>\d{1,2})\s?(?:[-/.]|月|월)\s?(?P<d>\d{1,2})(?:日|일|\.?(?!\d))"
            + _TIME
            + _TZ
        ),
    ),
    # 19.06.2024, 19/6/2024, 19-06-2024 (day first unless that is impossible, or the page is English with "/")
    (
        "dmy",
        re.compile(
            _NOT_DIGIT_BEFORE
            + r"(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>(?:19|20)\d{2})"
            + _NOT_DIGIT_AFTER
            + _TIME
            + _TZ
        ),
    ),
    # 19 June 2024, 19. Juni 2024, 8 de mayo de 2022, 19 июня 2024 г., 18 Tháng Sáu 2024, 8 فيفري 2019
    (
        "d_month",
        re.compile(
            r"(?<![\w\d])(?P<d>\d{1,2})(?:st|nd|rd|th|er|º)?(?:\.?\s+|[.-])(?:de\s+)?(?P<mon>"
            + _MONTH_ALT
            + r")\.?(?![\w])"
            + r"(?:(?:\.?,?\s+|[-.])(?:de\s+|năm\s+)?(?P<y>(?:19|20)\d{2})(?![\d]))?"
            + _TIME
            + _TZ,
            re.I,
        ),
    ),
    # June 19, 2024, Jun. 19 2024, Tháng Sáu 18, 2024: anchored on the day number, the month name is
    # looked up in the words before it (a leading alternation of 500 names costs 5 ms per page).
    (
        "month_d",
        re.compile(
            r"(?<=[^\W\d_])\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d])"
            + r"(?:,?\s+(?P<y>(?:19|20)\d{2})(?![\d]))?"
            + _TIME
            + _TZ
        ),
    ),
    # 6月18日, 7월 12일 (year from context)
    ("cjk_md", re.compile(r"(?<![\d年년])(?P<m>\d{1,2})\s?(?:月|월)\s?(?P<d>\d{1,2})\s?(?:日|일)" + _TIME)),
    # ngày 19/6, ngày 19-6-2024
    (
        "vi_ngay",
        re.compile(
            r"(?i:ngày)\s+(?P<d>\d{1,2})[/-](?P<m>\d{1,2})(?:[/-](?P<y>(?:19|20)\d{2}))?" + _NOT_DIGIT_AFTER + _TIME
        ),
    ),
]


# Necessary conditions, so that a pattern runs only on text it could match: every ymd and dmy date
# holds a year; every d_month date holds a month name, found by one Aho-Corasick pass instead of the
# pattern's case-insensitive alternation of ~500 names tried at every number (most of find_dates' cost).
_YEAR = re.compile(r"(?:19|20)\d{2}")
# re.IGNORECASE equates characters by their simple lower case plus a few extra pairs (ı/i, ſ/s, ς/σ…)
# listed in re's own table; folding both sides to one member of each class keeps the test exact.
_EXTRA_CASES: dict[int, tuple[int, ...]] = _casefix._EXTRA_CASES
_FOLD_TABLE = {code: min(code, *_EXTRA_CASES[code]) for code in _EXTRA_CASES if min(code, *_EXTRA_CASES[code]) != code}


def fold_like_ignorecase(text: str) -> str:
    """Same length as text; two strings fold equal exactly when re.IGNORECASE matches one with the other."""
    if text.isascii():
        return text.lower()
    # str.lower() is the simple one-to-one mapping re uses, except for "İ" (to "i" plus a dot above).
    return text.replace("İ", "i").lower().translate(_FOLD_TABLE)


_MONTH_NAMES = ahocorasick_rs.AhoCorasick(sorted({fold_like_ignorecase(name) for name in MONTHS}))


def _holds_month_name(text: str) -> bool:
    return bool(_MONTH_NAMES.find_matches_as_indexes(fold_like_ignorecase(text), overlapping=False))


# Labels that introduce the publication time; dates right after them win over any other date.
PUBLISHED_LABEL = re.compile(
    r"(?:published|posted|updated|publicado|publicada|postado|atualizado|publié|mis à jour|veröffentlicht|aktualisiert|pubblicato|"
    r"опубликовано|обновлено|发布时间|發布時間|发表时间|发布于|更新时间|更新時間|时间|日期|公開|更新|掲載|입력|수정|"
    r"đăng|cập nhật|ngày đăng|تاريخ النشر|نشر)\s*(?:on|el|le|am|il|в|于)?\s*[:：]?\s*",
    re.I,
)
# A date after a copyright mark is the site's copyright span ("Veröffentlicht 5. November 2023 / ©5min.at"
# is not); a date beside a reply button is a reader comment's.
_NOT_PUBLICATION = re.compile(
    r"(?P<copyright>©|\(c\)\s*(?:19|20)\d{2}|copyright|all rights reserved|derechos reservados|droits réservés|"
    r"alle rechte|版权所有|版權所有|著作権|저작권)"
    r"|\breply\b|\bantworten\b|\bresponder\b|\brépondre\b|回复|回覆|返信|답글",
    re.I,
)
_MARK_REACH = 40


def _beside_mark(text: str, start: int, end: int, marks: list[tuple[int, bool]]) -> bool:
    """A mark on the date's line and close to it: text with its line breaks collapsed is one long line."""
    line_start = max(text.rfind("\n", 0, start) + 1, start - _MARK_REACH)
    line_end = text.find("\n", end)
    line_end = min(len(text) if line_end < 0 else line_end, end + _MARK_REACH)
    return any(line_start <= at < (start if copyright else line_end) for at, copyright in marks)


@dataclass(frozen=True, slots=True)
class FoundDate:
    at: datetime
    tz: str | None
    start: int  # offset of the match in the searched text
    end: int
    has_year: bool
    has_time: bool


_WORD_BEFORE = re.compile(r"[^\W\d_]+\.?$")


def _month_before(text: str, end: int) -> tuple[int, int] | None:
    """(month, start) when the one to three words ending at end name a month."""
    window = text[max(0, end - 24) : end]
    words = window.split()
    for count in (3, 2, 1):
        if len(words) < count:
            continue
        name = " ".join(words[-count:]).lower().rstrip(".")
        month = MONTHS.get(name)
        if month and _WORD_BEFORE.search(words[-1]):
            return month, end - len(" ".join(words[-count:]))
    return None


def _tz_text(raw: str | None) -> str | None:
    if not raw:
        return None
    if raw == "Z":
        return "+00:00"
    raw = raw.removeprefix("GMT").removeprefix("UTC")
    if not raw:
        return "+00:00"
    sign, digits = raw[0], raw[1:].replace(":", "")
    if len(digits) <= 2:
        digits = digits.zfill(2) + "00"
    hours, minutes = int(digits[:2]), int(digits[2:4])
    if hours > 14 or minutes >= 60:
        return None
    return f"{sign}{hours:02d}:{minutes:02d}"


def _build(y: int, m: int, d: int, match: re.Match) -> tuple[datetime, bool] | None:
    groups = match.groupdict()
    hour = minute = second = 0
    has_time = bool(groups.get("H"))
    if has_time:
        hour, minute = int(groups["H"]), int(groups["M"])
        second = int(groups["S"]) if groups.get("S") else 0
    try:
        return datetime(y, m, d, hour, minute, second), has_time
    except ValueError:
        if has_time:  # "2024-06-19 31:99" is a date followed by other digits
            try:
                return datetime(y, m, d), False
            except ValueError:
                return None
        return None


def _plausible(at: datetime, snapshot_time: datetime | None) -> bool:
    if at.year < _OLDEST_YEAR:
        return False
    latest = snapshot_time or (datetime.now() + timedelta(days=1))
    # A page's local time can be ahead of the crawler's clock by up to a day of offsets.
    return at <= latest + timedelta(hours=14)


def find_dates(
    text: str,
    snapshot_time: datetime | None = None,
    context_year: int | None = None,
    month_first: bool = False,
) -> list[FoundDate]:
    """Every plausible date in text, in order of appearance; overlapping matches keep the first pattern."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    holds_year = _YEAR.search(text) is not None
    marks = (
        [(m.start(), m.group("copyright") is not None) for m in _NOT_PUBLICATION.finditer(text)] if holds_year else []
    )
    for kind, pattern in _PATTERNS:
        if (kind in ("ymd", "dmy") and not holds_year) or (kind == "d_month" and not _holds_month_name(text)):
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            groups = match.groupdict()
            d = int(groups["d"])
            if kind == "month_d":
                month_start = _month_before(text, start)
                if month_start is None:
                    continue
                m, start = month_start
            else:
                month = MONTHS.get(groups["mon"].lower().rstrip(".")) if groups.get("mon") else int(groups["m"])
                if month is None:  # a word the month pattern matched that names no month
                    continue
                m = month
            if kind == "dmy" and (m > 12 or (month_first and "/" in match.group(0) and d <= 12)):
                d, m = m, d
            has_year = bool(groups.get("y"))
            year = int(groups["y"]) if has_year else (context_year or (snapshot_time.year if snapshot_time else None))
            if year is None or not m:
                continue
            built = _build(year, m, d, match)
            if built is None:
                continue
            at, has_time = built
            if not has_year and snapshot_time and at > snapshot_time + timedelta(hours=14):
                # "6月18日" printed in January is about last year.
                try:
                    at = at.replace(year=at.year - 1)
                except ValueError:
                    continue
            # An implausible full date still owns its span: "2026年7月12日" must not be re-read as "7月12日".
            taken.append((start, end))
            if not _plausible(at, snapshot_time) or (marks and _beside_mark(text, start, end, marks)):
                continue
            found.append(FoundDate(at, _tz_text(groups.get("tz")), start, end, has_year, has_time))
    found.sort(key=lambda f: f.start)
    return found


def parse_date(text: str, snapshot_time: datetime | None = None, context_year: int | None = None) -> FoundDate | None:
    """The first plausible date in text, or None."""
    dates = find_dates(text, snapshot_time, context_year)
    return dates[0] if dates else None
