"""Outlet names to one canonical name across languages, scripts and regional editions."""

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# Regional or language editions named after the outlet: "Sputnik Việt Nam", "RT en Español",
# "Euronews (English)", "BBC News 中文". Stripped only when what remains is still a name.
_EDITION = re.compile(
    r"""[\s\-–—|:·/]+(?:\(\s*)?(?:en\s+|in\s+)?(?:
        việt\s?nam|vietnam|deutschland|germany|españa|espanol|español|mundo|méxico|mexico|france|français|
        francais|afrique|brasil|brazil|portugal|italia|italiano|polska|türkiye|turkce|türkçe|arabic|عربي|العربية|
        english|international|international\s+edition|uk|us|usa|india|japan|日本|日本語|中文|中文网|中国|简体中文|
        繁體中文|한국어|korea|russia|россия|русский|на\s+русском|africa|asia
    )(?:\s*\))?\s*$""",
    re.I | re.X,
)
_SPACE = re.compile(r"\s+")
_LABEL = re.compile(
    r"^(?:source|sources|来源|來源|出处|出處|nguồn|quelle|fuente|fonte|источник|출처|出典)\s*[:：]\s*", re.I
)
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\d?\.|m\.|amp\.)?([a-z0-9.-]+\.[a-z]{2,})(?:/.*)?$", re.I)


def _key(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).casefold()
    return _SPACE.sub(" ", name).strip(" .,:;-–—|\"'«»“”")


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    text = (Path(__file__).resolve().parent.parent / "data" / "outlets.tsv").read_text("utf-8")
    for row in csv.reader(text.splitlines(), delimiter="\t"):
        if not row or row[0].startswith("#") or len(row) < 2:
            continue
        canonical, alias = row[0].strip(), row[1].strip()
        table[_key(canonical)] = canonical
        table[_key(alias)] = canonical
    return table


def _lookup(name: str) -> str | None:
    aliases = _aliases()
    key = _key(name)
    if key in aliases:
        return aliases[key]
    domain = _DOMAIN.match(key)
    if domain:
        host = domain.group(1)
        # news.sputnik.vn, vn.sputniknews.com: try the host and each parent domain.
        parts = host.split(".")
        for i in range(len(parts) - 1):
            if ".".join(parts[i:]) in aliases:
                return aliases[".".join(parts[i:])]
    return None


def normalize_source_name(name: str) -> str:
    """Canonical outlet name; unknown outlets come back cleaned (label and edition suffix removed)."""
    cleaned = _SPACE.sub(" ", _LABEL.sub("", unicodedata.normalize("NFKC", name or ""))).strip()
    if not cleaned:
        return ""
    found = _lookup(cleaned)
    if found:
        return found
    base = cleaned
    while True:
        stripped = _EDITION.sub("", base).strip()
        if not stripped or stripped == base or len(stripped) < 2:
            break
        base = stripped
        found = _lookup(base)
        if found:
            return found
    return base


# What a site-name field holds when it is not the outlet: the copyright line, the web agency's
# credit, the theme or platform; and the strapline ("Your daily news, every day.").
_NOT_AN_OUTLET = re.compile(
    r"©|\(c\)|copyright|all rights reserved|derechos reservados|droits réservés|alle rechte|版权所有|版權所有|"
    r"powered by|designed by|developed by|web ?design|website by|site by|made by|desarrollado por|diseñado por|"
    r"réalisé par|umsetzung|wordpress|joomla|drupal|theme\b",
    re.I,
)
_SLOGAN_WORDS = 6
_SENTENCE_END = re.compile(r"[.!?。！？]$")


def outlet_name(name: str | None) -> str | None:
    """The canonical outlet for a printed site name, or None when it is a slogan, an agency or a copyright line."""
    canonical = normalize_source_name(name or "")
    if not canonical or _lookup(canonical) == canonical:
        return canonical or None
    if _NOT_AN_OUTLET.search(canonical) or _SENTENCE_END.search(canonical) or len(canonical.split()) > _SLOGAN_WORDS:
        return None
    return canonical


def outlet_of_url(url: str | None) -> str | None:
    """The outlet a URL is known to belong to, else its domain: better than no outlet at all."""
    if not url:
        return None
    known = normalize_source_name(url)
    if known != url:
        return known
    domain = _DOMAIN.match(url)
    return domain.group(1).lower() if domain else None
