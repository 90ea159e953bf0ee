"""Context rules that decide whether an ambiguous form is a country mention where it occurs.

A rule is written in the curated data files as ``;``-separated terms:

- ``case``: the text must have the form's exact case (US, not us);
- ``cap`` / ``anycase``: the first letter must be upper-case / any case;
- ``nostart``: not the first word of a sentence (where capitals say nothing);
- ``noprev`` / ``nonext`` / ``noname``: no capitalised word right before / after / on either side (a
  personal or place name: Michael Jordan, Mỹ Tho, Sputnik Việt Nam);
- ``titled=a|b``: after one of these words (the end of a title: Tổng thống Mỹ Joe Biden) the name checks
  of noprev/nonext are skipped, since a title + country + person is the usual order;
- ``prev!=a|b``, ``next!=a|b``: the previous / next word is none of these; ``next=a|b``: it is one of these;
- ``prevchar!=..``, ``nextchar!=..``: for unspaced scripts, the neighbouring character is none of these;
- ``nodateline``: not a dateline (MOSCÚ, 5 ene (EFE); WASHINGTON (AP) —): not written in capitals,
  not at the start of a line followed by a comma, parenthesis or dash;
- ``noshout``: not in an all-capital line (where abbreviations are ordinary words);
- ``lang``: the adjective is also a language name, so not after words that introduce a language
  ("studying Portuguese", "speaks in Spanish");
- ``lowername``: the language writes the adjective in lower case, so a capitalised occurrence is part of a
  name (Svenska Dagbladet, Norsk Presseforbund) unless a sentence starts there and no capitalised word follows;
- ``list_after`` / ``list_joiners`` (set by the gazetteer, not written in the data): the form is no mention
  when it is a later item of a list of lower-case words (joined by commas and these conjunctions) whose first
  item follows one of these phrases, the words that say "in language X" (på engelska, franska och svenska:
  all are languages);
- ``weak``: counts only if the same country is also mentioned by another form, or confirmed by a cue;
- ``cue``: never a mention itself, but confirms the weak forms of its country (Tbilisi for Georgia);
- ``pair`` / ``affix``: (short forms only) how compounds may be built, see compounds.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from newsetl.countries.text import INDIC_MARKS, is_word_char

# Words after which an English national adjective names the language, not the country.
LANGUAGE_CUES = frozenset(
    {
        "in",
        "into",
        "speak",
        "speaks",
        "spoke",
        "speaking",
        "spoken",
        "study",
        "studies",
        "studying",
        "studied",
        "learn",
        "learns",
        "learning",
        "learned",
        "learnt",
        "teach",
        "teaches",
        "teaching",
        "taught",
        "fluent",
        "native",
        "translated",
        "translate",
        "subtitled",
        "dubbed",
        "read",
        "reads",
        "write",
        "writes",
        "wrote",
        "written",
    }
)

# A list continued after a language phrase: at most this many items back, and phrases of up to this many words.
MAX_LIST_ITEMS = 6
MAX_LIST_PHRASE_WORDS = 4

_SENTENCE_END = frozenset('.!?:;\n"“”「」『』«»…•|')
_NAME_JOINERS = frozenset(" ")


@dataclass(frozen=True, slots=True)
class Rule:
    case: bool = False
    cap: bool = False
    nostart: bool = False
    noprev: bool = False
    nonext: bool = False
    prev_not: frozenset[str] = frozenset()
    titled: frozenset[str] = frozenset()
    next_not: frozenset[str] = frozenset()
    next_only: frozenset[str] = frozenset()
    list_after: frozenset[str] = frozenset()
    list_joiners: frozenset[str] = frozenset()
    prevchar_not: frozenset[str] = frozenset()
    nextchar_not: frozenset[str] = frozenset()
    noshout: bool = False
    lowername: bool = False
    nodateline: bool = False
    weak: bool = False
    cue: bool = False
    pair: bool = False
    affix: bool = False


def tests_context(rule: Rule) -> bool:
    """Whether ``allows`` tests more of this rule than ``cap``: if not, it allows every occurrence, or
    (with cap) those that do not start with a lower-case letter."""
    # weak, cue, pair and affix are not read by allows; any other term (a new one too) counts.
    return replace(rule, cap=False, weak=False, cue=False, pair=False, affix=False) != Rule()


def parse_rule(text: str, *, default_cap: bool) -> Rule:
    fields: dict[str, Any] = {"cap": default_cap}  # Rule's keyword arguments: flags and word sets
    for term in filter(None, (t.strip() for t in (text or "").split(";"))):
        if "!=" in term or "=" in term:
            key, _, values = term.partition("!=") if "!=" in term else term.partition("=")
            negated = "!=" in term
            words = frozenset(v.strip().lower() for v in values.split("|") if v.strip())
            if key in ("prevchar", "nextchar"):
                words = frozenset("".join(values.split("|")))
            target = {
                ("titled", False): "titled",
                ("prev", True): "prev_not",
                ("next", True): "next_not",
                ("next", False): "next_only",
                ("prevchar", True): "prevchar_not",
                ("nextchar", True): "nextchar_not",
            }.get((key, negated))
            if target is None:
                raise ValueError(f"unknown rule term {term!r}")
            fields[target] = words | frozenset(fields.get(target, frozenset()))
        elif term == "anycase":
            fields["cap"] = False
        elif term == "lang":
            fields["prev_not"] = frozenset(fields.get("prev_not", frozenset())) | LANGUAGE_CUES
        elif term == "noname":
            fields["noprev"] = fields["nonext"] = True
        elif term in Rule.__dataclass_fields__:
            fields[term] = True
        else:
            raise ValueError(f"unknown rule term {term!r}")
    return Rule(**fields)


def _previous_word(text: str, start: int, *, skip_punctuation: bool) -> tuple[str, int]:
    """The word before ``start`` and its start offset ('' if there is none or a sentence ends first)."""
    index = start
    while index > 0 and (text[index - 1] in _NAME_JOINERS or (skip_punctuation and text[index - 1] in ",-")):
        index -= 1
    end = index
    while index > 0 and (is_word_char(text[index - 1]) or text[index - 1] in "'’."):
        index -= 1
    word = text[index:end].rstrip(".")
    return word, index


# The word after a form: a possessive 's, joiners (with skip_punctuation also commas and hyphens), then
# letters, digits, Indic marks (भाषा) and apostrophes. \w is str.isalnum and the underscore, where the word ends.
_JOINERS = "".join(sorted(_NAME_JOINERS))


def _next_word_pattern(skip_punctuation: bool) -> re.Pattern[str]:
    joiners = re.escape(_JOINERS + (",-" if skip_punctuation else ""))
    return re.compile(f"(?:['’]s)?[{joiners}]*([\\w{INDIC_MARKS}'’]*)")


_NEXT_WORD = {skip: _next_word_pattern(skip) for skip in (False, True)}


def _elided(word: str) -> str:
    """The word after an elided article or preposition (Catalan l'idioma, French d'anglais)."""
    for apostrophe in "'’":
        if apostrophe in word:
            word = word.rsplit(apostrophe, 1)[1]
    return word


def _continues_list_after(text: str, start: int, rule: Rule) -> bool:
    """Whether text[start:] is a later item of a list of lower-case words (a, b och c) whose first item
    follows one of the phrases ``rule.list_after`` (på engelska, franska och svenska: "in" + languages)."""
    index = start
    for _ in range(MAX_LIST_ITEMS):
        joint = index
        while joint > 0 and text[joint - 1] in _NAME_JOINERS:
            joint -= 1
        if joint > 0 and text[joint - 1] == ",":
            joint -= 1
        else:
            joiner, joiner_start = _previous_word(text, index, skip_punctuation=False)
            if joiner.lower() not in rule.list_joiners:
                return False
            joint = joiner_start
        item, item_start = _previous_word(text, joint, skip_punctuation=False)
        if not item or not item.islower():
            return False
        words: list[str] = []
        position = item_start
        for _ in range(MAX_LIST_PHRASE_WORDS):
            word, word_start = _previous_word(text, position, skip_punctuation=False)
            if not word:
                break
            words.insert(0, word.lower())
            position = word_start
            if " ".join(words) in rule.list_after:
                return True
        index = item_start
    return False


def _next_word(text: str, end: int, *, skip_punctuation: bool) -> str:
    word = _NEXT_WORD[skip_punctuation].match(text, end)[1]  # type: ignore[index]  # always matches
    return word if "_" not in word else word[: word.index("_")]


def _at_sentence_start(text: str, start: int) -> bool:
    index = start
    while index > 0 and text[index - 1] in " \t\"'“‘([":
        index -= 1
    return index == 0 or text[index - 1] in _SENTENCE_END


def _is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _is_name_word(text: str, word: str, start: int) -> bool:
    """A capitalised word is part of a name unless it is capitalised only because a sentence starts
    there and the text also uses it in lower case ("In Jordan" versus "Michael Jordan")."""
    if not _at_sentence_start(text, start):
        return True
    lower = word.lower()
    if lower == word:
        return False
    index = text.find(lower)
    while index >= 0:
        end = index + len(lower)
        if (index == 0 or not is_word_char(text[index - 1])) and (end == len(text) or not is_word_char(text[end])):
            return False
        index = text.find(lower, index + 1)
    return lower not in _COMMON_SENTENCE_OPENERS


_COMMON_SENTENCE_OPENERS = frozenset(
    {
        "in",
        "on",
        "at",
        "from",
        "to",
        "for",
        "with",
        "by",
        "and",
        "but",
        "the",
        "tại",
        "ở",
        "và",
        "với",
        "của",
        "từ",
        "khi",
        "en",
        "de",
        "la",
        "le",
        "el",
        "a",
        "an",
        "as",
        "of",
        "after",
        "before",
        "about",
        "like",
    }
)


def _is_dateline(text: str, start: int, end: int) -> bool:
    surface = text[start:end]
    if len(surface) > 3 and surface.isupper():
        return True
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and text[end : end + 2].lstrip()[:1] in (",", "(", "-", "—", "–")


def _in_shouting_line(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    letters = [ch for ch in line if ch.isalpha() and ch.lower() != ch.upper()]
    return len(letters) >= 8 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def allows(rule: Rule, text: str, start: int, end: int, spellings: tuple[str, ...]) -> bool:
    """Whether the occurrence text[start:end] of a form (written in the data as one of ``spellings``) is
    a mention."""
    surface = text[start:end]
    if rule.case and surface not in spellings:
        return False
    if rule.cap and surface[:1].islower():
        return False
    if rule.prevchar_not and start > 0 and text[start - 1] in rule.prevchar_not:
        return False
    if rule.nextchar_not and end < len(text) and text[end] in rule.nextchar_not:
        return False
    if rule.nostart and _at_sentence_start(text, start):
        return False
    if (
        rule.lowername
        and surface[:1].isupper()
        and (not _at_sentence_start(text, start) or _is_capitalised(_next_word(text, end, skip_punctuation=False)))
    ):
        return False
    if rule.noshout and _in_shouting_line(text, start):
        return False
    if rule.nodateline and _is_dateline(text, start, end):
        return False
    titled = False
    if rule.prev_not or rule.noprev or rule.titled:
        word, word_start = _previous_word(text, start, skip_punctuation=True)
        if word.lower() in rule.prev_not or _elided(word.lower()) in rule.prev_not:
            return False
        titled = word.lower() in rule.titled
        if rule.noprev and not titled:
            adjacent, adjacent_start = _previous_word(text, start, skip_punctuation=False)
            if (
                adjacent
                and _is_capitalised(adjacent)
                and text[adjacent_start + len(adjacent) : start] == " "
                and _is_name_word(text, adjacent, adjacent_start)
            ):
                return False
    if rule.next_not or rule.next_only or rule.nonext:
        word = _next_word(text, end, skip_punctuation=False)
        if rule.next_only and word.lower() not in rule.next_only:
            return False
        if word.lower() in rule.next_not:
            return False
        if rule.nonext and not titled and _is_capitalised(word) and text[end : end + 1] == " ":
            return False
    if rule.list_after and _continues_list_after(text, start, rule):
        return False
    return True
