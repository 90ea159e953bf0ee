"""Words on the charts in the analyst's language: language names and the fold-in labels.

Country names come from dim_country.names in SQL; language names come from CLDR (babel), so a
report in Chinese says 越南语 rather than `vi`. Unknown codes fall back to the code itself.
"""

from functools import cache

from babel import Locale, UnknownLocaleError

from newsetl.reports.options import DEFAULT_LANG

# The few words the charts need that CLDR has no entry for.
_WORDS = {
    "other": {
        "en": "Other countries",
        "zh": "其他国家",
        "vi": "Các nước khác",
        "ru": "Другие страны",
        "fr": "Autres pays",
    },
    "all_outlets": {
        "en": "All outlets",
        "zh": "全部媒体",
        "vi": "Tất cả báo",
        "ru": "Все издания",
        "fr": "Tous les médias",
    },
}


def word(key: str, lang: str) -> str:
    words = _WORDS[key]
    return words.get(lang) or words[DEFAULT_LANG]


@cache
def _locale(lang: str) -> Locale | None:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def language_name(code: str | None, lang: str) -> str:
    """`Chinese (zh)`: the language's name in `lang` with its code, so both readers find it."""
    if not code or code == "unknown":
        return "unknown"
    locale = _locale(lang) or _locale(DEFAULT_LANG)
    name = locale.languages.get(code) if locale else None
    return f"{name} ({code})" if name else code


def is_known_language(lang: str) -> bool:
    return _locale(lang) is not None
