"""Compounds of short country forms: 中韩, 中日韩, 美澳日韩, 访朝, 韩方 (zh/ja); Nga -Triều, Việt-Trung (vi).

Short forms (curated, short_forms.tsv) are never matched alone. Their rule column says how they combine:

- no flag: the form pairs with other short forms (中韩) and takes the language's prefixes (访朝, 对朝)
  and suffixes (韩方, 美军);
- ``pair`` / ``prefix`` / ``suffix``: only the listed ways (中 is ``pair;suffix``: 中美 and 中方, never 在中);
- ``core``: also part of three- and four-country chains (中日韩, 美澳日韩), limited to the major powers
  to keep the automaton small;
- ``with=..``: only paired with these partners (巴 is Palestine next to 以, Pakistan next to 印);
- ``prevchar!=`` / ``nextchar!=``: characters that make the compound part of another word when they
  come before its first / after its last form.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace

from newsetl.countries.entry import PRIORITY_AFFIXED, PRIORITY_COMPOUND, Entry
from newsetl.countries.rules import Rule, parse_rule

PREFIXES = {
    "zh": ("访", "对", "驻", "赴", "来", "在", "援", "抗", "亲", "反", "訪", "對", "駐"),
    "ja": ("訪", "対", "駐", "在", "親", "反", "来"),
}
SUFFIXES = {
    "zh": ("方", "军", "軍", "媒", "籍", "企", "总统", "總統", "政府", "首相", "外长", "外長", "防长", "总理", "大使"),
    "ja": ("軍", "側", "政府", "大統領", "首相", "外相", "紙"),
}
# Vietnamese short forms pair up around a hyphen or dash, spaced in every way writers space it.
VI_SEPARATORS = ("-", " -", "- ", " - ")
MAX_CHAIN = 4


@dataclass(frozen=True, slots=True)
class ShortForm:
    iso2: str
    form: str
    pairs: bool
    prefix: bool
    suffix: bool
    core: bool
    partners: str
    rule: Rule


def _short_form(row: dict[str, str]) -> ShortForm:
    terms = [t.strip() for t in (row["rule"] or "").split(";") if t.strip()]
    flags = {t for t in terms if "=" not in t}
    partners = "".join(t.partition("=")[2] for t in terms if t.startswith("with="))
    rest = ";".join(t for t in terms if t not in flags and not t.startswith("with="))
    restricted = bool(flags & {"pair", "prefix", "suffix"})
    return ShortForm(
        iso2=row["iso2"],
        form=row["form"],
        pairs="pair" in flags or not flags & {"prefix", "suffix"},
        prefix="prefix" in flags or not restricted,
        suffix="suffix" in flags or not restricted,
        core="core" in flags,
        partners=partners,
        rule=parse_rule(rest, default_cap=False),
    )


def _chain_rule(first: ShortForm, last: ShortForm) -> Rule:
    return Rule(prevchar_not=first.rule.prevchar_not, nextchar_not=last.rule.nextchar_not)


def _distinct(chain: tuple[ShortForm, ...]) -> bool:
    return len({f.iso2 for f in chain}) == len(chain) and len({f.form for f in chain}) == len(chain)


def _partners_ok(chain: tuple[ShortForm, ...]) -> bool:
    for index, form in enumerate(chain):
        if form.partners:
            neighbours = {chain[i].form for i in (index - 1, index + 1) if 0 <= i < len(chain)}
            if not neighbours & set(form.partners):
                return False
    return True


def _entry(form: str, countries: tuple[str, ...], rule: Rule, *, affixed: bool = False) -> Entry:
    return Entry(form, countries, rule, PRIORITY_AFFIXED if affixed else PRIORITY_COMPOUND, "compound")


def _cjk_entries(language: str, forms: list[ShortForm]) -> Iterator[Entry]:
    pairable = [f for f in forms if f.pairs]
    for size in range(2, MAX_CHAIN + 1):
        pool = pairable if size == 2 else [f for f in pairable if f.core]
        for chain in itertools.permutations(pool, size):
            if _distinct(chain) and _partners_ok(chain):
                yield _entry(
                    "".join(f.form for f in chain), tuple(f.iso2 for f in chain), _chain_rule(chain[0], chain[-1])
                )
    for form in forms:
        if form.prefix:
            for prefix in PREFIXES.get(language, ()):
                yield _entry(
                    prefix + form.form, (form.iso2,), replace(form.rule, prevchar_not=frozenset()), affixed=True
                )
        if form.suffix:
            for suffix in SUFFIXES.get(language, ()):
                yield _entry(
                    form.form + suffix, (form.iso2,), replace(form.rule, nextchar_not=frozenset()), affixed=True
                )


def _vietnamese_entries(forms: list[ShortForm]) -> Iterator[Entry]:
    for size in (2, 3):
        for chain in itertools.permutations(forms, size):
            if not _distinct(chain):
                continue
            for separator in VI_SEPARATORS:
                yield _entry(separator.join(f.form for f in chain), tuple(f.iso2 for f in chain), Rule(cap=True))


def compound_entries(language: str, rows: list[dict[str, str]]) -> Iterator[Entry]:
    forms = [_short_form(row) for row in rows]
    if language == "vi":
        yield from _vietnamese_entries(forms)
    elif forms:
        yield from _cjk_entries(language, forms)
