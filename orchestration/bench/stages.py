"""Each stage of the pipeline alone, and the anchors, timed on the same sample of snapshots.

Stages take the output of the stage before as input, so that every one of them is fed what the
pipeline feeds it; only the stage's own calls are inside the timer.
"""

import random
import re
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from newsetl.landing import LandingFile, discover, read_file

# The article size the matching cost is stated for.
ARTICLE_BYTES = 8192

# dateparser and the naive matcher are slow: they see a prefix of the sample, and the per-snapshot
# figures compare like with like (ours is timed on the same prefix).
SLOW_ANCHOR_SAMPLE = 150
TRAFILATURA_SAMPLE = 400


@dataclass
class Timed:
    seconds: float
    items: int
    bytes: int = 0

    def figures(self) -> dict:
        per = self.seconds / self.items if self.items else None
        return {
            "seconds": round(self.seconds, 4),
            "items": self.items,
            "ms_per_item": round(per * 1000, 4) if per is not None else None,
            "items_per_s": round(self.items / self.seconds, 1) if self.seconds else None,
            "mb_per_s": round(self.bytes / 1e6 / self.seconds, 2) if self.seconds and self.bytes else None,
        }


def sample_files(landing: str | Path, size: int, seed: int = 7) -> list[LandingFile]:
    """A fixed random sample of the landing files, so that every language and template is in it."""
    files, _ = discover(landing)
    if len(files) <= size:
        return files
    return sorted(random.Random(seed).sample(files, size), key=lambda f: f.source_file)


def _clock(function, items) -> tuple[float, list]:
    started = time.perf_counter()
    results = [function(item) for item in items]
    return time.perf_counter() - started, results


def measure_stages(files: list[LandingFile], catalog_warehouse: str | None = None) -> tuple[dict, dict]:
    """({stage: figures}, the intermediate data the anchors reuse)."""
    from newsetl.article import ExtractionContext, NoArticle
    from newsetl.countries import match_countries
    from newsetl.decode import UndecodableSnapshot, decode_snapshot
    from newsetl.dedupe import signature
    from newsetl.extract import detect_language, extract_html, extract_text, learn_repeated_lines
    from newsetl.extract.dates import find_dates
    from newsetl.process import warm_up

    warm_up()  # model and gazetteer loading is start-up, paid once per process, not per snapshot
    for language in _bench_languages():
        match_countries("warm up", "", language)  # each language's automaton is built on first use
    stages: dict[str, dict] = {}

    started = time.perf_counter()
    snapshots = [snapshot for file in files for snapshot in read_file(file)]
    read_seconds = time.perf_counter() - started
    total_bytes = sum(len(s.content) for s in snapshots)
    stages["read"] = Timed(read_seconds, len(snapshots), total_bytes).figures()

    def decode(snapshot):
        try:
            return decode_snapshot(snapshot.content).text
        except UndecodableSnapshot:
            return None

    seconds, texts = _clock(decode, snapshots)
    stages["decode"] = Timed(seconds, len(snapshots), total_bytes).figures()
    stages["decode_and_parse"] = Timed(read_seconds + seconds, len(snapshots), total_bytes).figures()

    plain = [t for s, t in zip(snapshots, texts, strict=True) if t is not None and s.content_type == "text"]
    started = time.perf_counter()
    repeated = learn_repeated_lines(plain[:2000])
    stages["learn_boilerplate"] = Timed(time.perf_counter() - started, min(len(plain), 2000)).figures()

    def clean(pair):
        snapshot, text = pair
        if text is None:
            return None
        extract = extract_html if snapshot.content_type == "html" else extract_text
        try:
            return extract(text, ExtractionContext(source_file=snapshot.source_file, repeated_lines=repeated))
        except NoArticle:
            return None

    pairs = list(zip(snapshots, texts, strict=True))
    seconds, articles = _clock(clean, pairs)
    stages["clean"] = Timed(seconds, len(pairs), total_bytes).figures()
    for kind in ("text", "html"):
        chosen = [p for p in pairs if p[0].content_type == kind]
        if chosen:
            seconds, _ = _clock(clean, chosen)
            stages[f"clean_{kind}"] = Timed(seconds, len(chosen), sum(len(p[0].content) for p in chosen)).figures()

    found = [a for a in articles if a is not None]
    stages["clean"]["articles"] = len(found)
    seconds, _ = _clock(lambda a: detect_language(a.body), found)
    stages["language"] = Timed(seconds, len(found)).figures()

    decoded = [t for t in texts if t is not None]
    seconds, _ = _clock(find_dates, decoded)
    stages["dates"] = Timed(seconds, len(decoded), sum(len(t.encode()) for t in decoded)).figures()

    cpu_started = time.process_time()
    seconds, mentions = _clock(lambda a: match_countries(a.title, a.body, a.language), found)
    cpu_seconds = time.process_time() - cpu_started
    matched_bytes = sum(len((a.title or "").encode()) + len(a.body.encode()) for a in found)
    stages["countries"] = Timed(seconds, len(found), matched_bytes).figures()
    # The unit: one core's time per 8 KB of article text (title and body), by the clock and in this
    # process's CPU time (which other load on a shared machine disturbs less).
    units = matched_bytes / ARTICLE_BYTES
    stages["countries"]["ms_per_8kb"] = round(seconds * 1000 / units, 4) if matched_bytes else None
    stages["countries"]["cpu_ms_per_8kb"] = round(cpu_seconds * 1000 / units, 4) if matched_bytes else None
    stages["countries"]["bytes"] = matched_bytes

    seconds, _ = _clock(lambda a: signature(a.body), found)
    stages["minhash"] = Timed(seconds, len(found)).figures()

    stages["parquet_write"] = _parquet_write(snapshots, texts, found)
    if catalog_warehouse:
        stages["catalog_build"] = _catalog_build(catalog_warehouse)
    data = {"snapshots": snapshots, "texts": texts, "articles": articles, "mentions": mentions, "bytes": total_bytes}
    return stages, data


def _parquet_write(snapshots, texts, articles) -> dict:
    """raw_snapshots and articles rows for the sample, written as the pipeline writes them."""
    from dataclasses import replace
    from datetime import datetime

    from newsetl.article import Article
    from newsetl.dedupe import signature, to_bytes
    from newsetl.storage import Warehouse

    now = datetime(2026, 1, 1)
    raw_rows = [replace(s, ingested_at=now).to_row() for s in snapshots]
    article_rows = [
        Article(
            article_id=f"{n:032d}",
            snapshot_id=f"{n:064d}",
            source_file="x",
            url=a.url,
            title=a.title,
            body=a.body,
            language=a.language,
            published_at=a.published_at,
            published_date=a.published_at.date() if a.published_at else None,
            published_tz=a.published_tz,
            source_name=a.source_name,
            category=a.category,
            duplicate_of=None,
            encoding="utf-8",
            extractor=a.extractor,
            body_chars=len(a.body),
            countries=(),
            country_mentions=(),
            ingested_at=now,
            minhash=to_bytes(signature(a.body)),
        ).to_row()
        for n, a in enumerate(articles)
    ]
    with tempfile.TemporaryDirectory(prefix="newsetl-bench-parquet-") as scratch:
        store = Warehouse(scratch)
        started = time.perf_counter()
        for table, rows in (("raw_snapshots", raw_rows), ("articles", article_rows)):
            with store.table_writer(table, "ingest_batch=bench") as out:
                for start in range(0, len(rows), 1000):
                    out.write(rows[start : start + 1000])
        seconds = time.perf_counter() - started
    return Timed(seconds, len(snapshots), sum(len(s.content) for s in snapshots)).figures()


def _catalog_build(root: str) -> dict:
    from newsetl.catalog import build_catalog
    from newsetl.storage import Warehouse

    started = time.perf_counter()
    build_catalog(Warehouse(root))
    return Timed(time.perf_counter() - started, 1).figures()


# ---------------------------------------------------------------------------------------------
# Anchors


def _bench_languages() -> list[str]:
    from orchestration.bench.words import LANGUAGES

    return sorted(LANGUAGES)


def floor(files: list[LandingFile]) -> dict:
    """Read, decode as UTF-8, one Aho-Corasick pass (every gazetteer form of the corpus's languages) over all text."""
    import ahocorasick_rs

    from newsetl.countries.matcher import matcher_for

    patterns = sorted({p for language in _bench_languages() for p in matcher_for(language).patterns})
    automaton = ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    started = time.perf_counter()
    total = count = hits = 0
    for file in files:
        for snapshot in read_file(file):
            text = snapshot.content.decode("utf-8", "replace")
            hits += len(automaton.find_matches_as_indexes(text.lower()))
            total += len(snapshot.content)
            count += 1
    figures = Timed(time.perf_counter() - started, count, total).figures()
    figures.update(patterns=len(patterns), matches=hits)
    return figures


def trafilatura_anchor(files: list[LandingFile], seed: int, limit: int = TRAFILATURA_SAMPLE) -> dict:
    """trafilatura.extract on the HTML form of sample pages, against our cleaner on both forms of them."""
    import trafilatura

    from newsetl.article import ExtractionContext, NoArticle
    from newsetl.extract import extract_html, extract_text
    from orchestration.bench.corpus import generate_page, render_html, render_text

    indexes = [_page_index(f.source_file) for f in files][:limit]
    pages = [generate_page(i, seed) for i in indexes]
    htmls = [render_html(p) for p in pages]
    plain = [render_text(p) for p in pages]

    def ours(extract, text):
        try:
            return extract(text, ExtractionContext())
        except NoArticle:
            return None

    trafilatura_seconds, extracted = _clock(lambda h: trafilatura.extract(h), htmls)
    text_seconds, _ = _clock(lambda t: ours(extract_text, t), plain)
    html_seconds, _ = _clock(lambda h: ours(extract_html, h), htmls)
    html_bytes = sum(len(h.encode()) for h in htmls)
    return {
        "trafilatura_html": Timed(trafilatura_seconds, len(htmls), html_bytes).figures()
        | {"extracted": sum(e is not None for e in extracted)},
        "ours_text_form": Timed(text_seconds, len(plain), sum(len(t.encode()) for t in plain)).figures(),
        "ours_html_form": Timed(html_seconds, len(htmls), html_bytes).figures(),
    }


def _page_index(source_file: str) -> int:
    return int(Path(source_file).name.split(".", 1)[0])


def naive_regex_anchor(articles, limit: int = SLOW_ANCHOR_SAMPLE) -> dict:
    """One case-insensitive regex per country (all its forms in the article's language), run over
    title and body, against match_countries on the same articles."""
    from newsetl.countries import match_countries
    from newsetl.countries.matcher import matcher_for

    def _language_key(language: str | None) -> str:
        return (language or "en").lower().replace("_", "-").split("-")[0]

    compiled: dict[str, dict[str, re.Pattern]] = {}

    def regexes_for(language: str) -> dict[str, re.Pattern]:
        if language not in compiled:
            forms: dict[str, set[str]] = defaultdict(set)
            for entry in matcher_for(language).entries:
                for iso2 in entry.countries:
                    forms[iso2].update(entry.spellings)
            compiled[language] = {
                iso2: re.compile("|".join(re.escape(f) for f in sorted(spellings, key=len, reverse=True)), re.I)
                for iso2, spellings in sorted(forms.items())
            }
        return compiled[language]

    chosen = [a for a in articles if a is not None][:limit]
    for article in chosen:
        regexes_for(_language_key(article.language))  # compiling is start-up, not matching

    def naive(article):
        text = f"{article.title}\n\n{article.body}"
        regexes = compiled[_language_key(article.language)]
        return {iso2: n for iso2, regex in regexes.items() if (n := len(regex.findall(text)))}

    naive_seconds, _ = _clock(naive, chosen)
    ours_seconds, _ = _clock(lambda a: match_countries(a.title, a.body, a.language), chosen)
    regex_count = sum(map(len, compiled.values()))
    return {
        "naive_regex": Timed(naive_seconds, len(chosen)).figures()
        | {"regexes": regex_count, "languages": sorted(compiled)},
        "ours": Timed(ours_seconds, len(chosen)).figures(),
    }


def dateparser_anchor(texts, snapshots, limit: int = SLOW_ANCHOR_SAMPLE) -> dict:
    """dateparser.search_dates over whole snapshot texts (its language told, as a fair caller would)
    against our find_dates over the same texts."""
    import warnings

    from dateparser.search import search_dates

    from newsetl.extract import detect_language
    from newsetl.extract.dates import find_dates

    chosen = [t for t in texts if t is not None][:limit]
    languages = [detect_language(t) for t in chosen]
    supported = {"en", "fr", "es", "de", "ru", "vi", "zh", "ja", "ko", "ar"}

    def anchor(pair):
        text, language = pair
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return search_dates(text, languages=[language] if language in supported else None) or []

    search_dates("warm up 19 June 2024", languages=["en"])  # loads its locale data once
    anchor_seconds, found = _clock(anchor, list(zip(chosen, languages, strict=True)))
    ours_seconds, ours_found = _clock(find_dates, chosen)
    total = sum(len(t.encode()) for t in chosen)
    return {
        "dateparser_search_dates": Timed(anchor_seconds, len(chosen), total).figures()
        | {"dates_found": sum(map(len, found))},
        "ours_find_dates": Timed(ours_seconds, len(chosen), total).figures()
        | {"dates_found": sum(map(len, ours_found))},
    }


def automata_memory(languages: list[str] | None = None) -> dict:
    """The memory a worker's country automata take: a fresh process builds the matcher of each language
    (the bench corpus's, then those with generated case forms) and reports its RSS growth per language.
    Measured in a child, so that nothing the bench loaded before counts."""
    import multiprocessing

    chosen = languages or automata_languages()
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_measure_automata, (chosen,))


def automata_languages() -> list[str]:
    from newsetl.countries import inflection

    inflected = {language for languages in inflection.SIMPLEMMA_LANGUAGES.values() for language in languages}
    return _bench_languages() + sorted((inflected | set(inflection.PYMORPHY_DICTS)) - set(_bench_languages()))


def _measure_automata(languages: list[str]) -> dict:
    import psutil

    from newsetl.countries.gazetteer import generated_blocks, generated_names
    from newsetl.countries.matcher import matcher_for

    process = psutil.Process()
    before = process.memory_info().rss
    generated_names(), generated_blocks()  # the name table every automaton is built from, read once
    tables = process.memory_info().rss
    per_language: dict[str, dict] = {}
    previous = tables
    for language in languages:
        matcher = matcher_for(language)
        now = process.memory_info().rss
        per_language[language] = {"patterns": len(matcher.patterns), "mb": round((now - previous) / 2**20, 2)}
        previous = now
    bench = set(_bench_languages())
    return {
        "name_tables_mb": round((tables - before) / 2**20, 1),
        "automata_mb": round((previous - tables) / 2**20, 1),
        "bench_languages_mb": round(sum(v["mb"] for k, v in per_language.items() if k in bench), 1),
        "worker_total_mb": round((previous - before) / 2**20, 1),
        "languages": len(languages),
        "per_language": per_language,
    }
