"""One raw snapshot to one article row or one rejection row: decode, extract, match countries.

Every snapshot ends as exactly one of the two; an unexpected error in a step is a rejection with
its reason, never a lost snapshot or a failed run.
"""

import hashlib
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from newsetl.article import Article, ExtractedArticle, ExtractionContext, NoArticle, RejectedSnapshot
from newsetl.decode import UndecodableSnapshot, decode_snapshot
from newsetl.dedupe import signature, to_bytes
from newsetl.landing import RawSnapshot
from newsetl.settings import DEFAULTS
from newsetl.time_budget import OverBudget, time_budget


def article_id_for(snapshot_id: str) -> str:
    """Stable across re-runs: the same bytes always give the same article id."""
    return hashlib.sha256(b"article:" + snapshot_id.encode()).hexdigest()[:32]


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else (host or None)


def _rejection(snapshot: RawSnapshot, stage: str, reason: str) -> RejectedSnapshot:
    return RejectedSnapshot(snapshot.snapshot_id, snapshot.source_file, reason, stage, snapshot.ingested_at)


def _article(snapshot: RawSnapshot, encoding: str, extracted: ExtractedArticle) -> Article:
    from newsetl.countries import match_countries

    mentions = match_countries(extracted.title, extracted.body, extracted.language)
    published_at = extracted.published_at
    return Article(
        article_id=article_id_for(snapshot.snapshot_id),
        snapshot_id=snapshot.snapshot_id,
        source_file=snapshot.source_file,
        url=extracted.url or snapshot.url,
        title=extracted.title,
        body=extracted.body,
        language=extracted.language,
        published_at=published_at,
        published_date=published_at.date() if published_at else None,
        published_tz=extracted.published_tz,
        source_name=extracted.source_name,
        category=extracted.category,
        duplicate_of=None,
        encoding=encoding,
        extractor=extracted.extractor,
        body_chars=len(extracted.body),
        countries=tuple(m.iso2 for m in mentions),
        country_mentions=tuple(mentions),
        ingested_at=snapshot.ingested_at,
        minhash=to_bytes(signature(extracted.body)),
    )


def decode_input(snapshot: RawSnapshot) -> tuple[str, str]:
    """(text, encoding); raises UndecodableSnapshot."""
    if snapshot.read_error is not None:
        raise UndecodableSnapshot(snapshot.read_error)
    decoded = decode_snapshot(snapshot.content)
    return decoded.text, decoded.encoding


def process_one(
    snapshot: RawSnapshot,
    repeated_lines: frozenset[str],
    budget_seconds: float | None = DEFAULTS.tuning.snapshot_budget_seconds,
    reject_non_articles: bool = False,
) -> Article | RejectedSnapshot:
    """The article or the rejection one snapshot gives; cleaning it may take `budget_seconds`.

    reject_non_articles: a page the page-kind model takes for no article at all (a listing, a shop,
    an about page, a forum) is rejected with reason `not_an_article` (newsetl.extract.page_kind)."""
    from newsetl.extract import extract_html, extract_text
    from newsetl.extract.page_kind import REJECTION_REASON, not_an_article

    try:
        text, encoding = decode_input(snapshot)
    except UndecodableSnapshot as exc:
        return _rejection(snapshot, "read" if snapshot.read_error else "decode", str(exc))
    ctx = ExtractionContext(
        source_file=snapshot.source_file,
        url=snapshot.url,
        snapshot_time=snapshot.fetched_at or snapshot.ingested_at,
        repeated_lines=repeated_lines,
    )
    extract: Callable[[str, ExtractionContext], ExtractedArticle] = (
        extract_html if snapshot.content_type == "html" else extract_text
    )
    try:
        with time_budget(budget_seconds):
            extracted = extract(text, ctx)
    except OverBudget as exc:
        return _rejection(snapshot, "extract", str(exc))
    except NoArticle as exc:
        return _rejection(snapshot, "extract", str(exc) or "no article found")
    except Exception as exc:  # a bug must cost one snapshot, not the run
        return _rejection(snapshot, "extract", f"internal error: {type(exc).__name__}: {exc}")
    try:
        if reject_non_articles and not_an_article(text, snapshot.content_type, extracted, snapshot.url):
            return _rejection(snapshot, "page_kind", REJECTION_REASON)
    except Exception as exc:
        return _rejection(snapshot, "page_kind", f"internal error: {type(exc).__name__}: {exc}")
    try:
        return _article(snapshot, encoding, extracted)
    except Exception as exc:
        return _rejection(snapshot, "countries", f"internal error: {type(exc).__name__}: {exc}")


def learn_boilerplate(samples: dict[str | None, list[str]]) -> dict[str | None, frozenset[str]]:
    """Lines that repeat across the snapshots of one site (by domain; unknown domains pooled)."""
    from newsetl.extract import learn_repeated_lines

    return {domain: learn_repeated_lines(texts) for domain, texts in samples.items()}


def process_snapshots(
    snapshots: Sequence[RawSnapshot],
    boilerplate: dict[str | None, frozenset[str]],
    reject_non_articles: bool = False,
    budget_seconds: float | None = DEFAULTS.tuning.snapshot_budget_seconds,
) -> tuple[list[dict], list[dict]]:
    """The articles and rejected_snapshots rows of a chunk of snapshots, in input order (process_one)."""
    articles: list[dict] = []
    rejected: list[dict] = []
    for snapshot in snapshots:
        result = process_one(
            snapshot,
            boilerplate.get(domain_of(snapshot.url), frozenset()),
            budget_seconds=budget_seconds,
            reject_non_articles=reject_non_articles,
        )
        (articles if isinstance(result, Article) else rejected).append(result.to_row())
    return articles, rejected


def warm_up() -> None:
    """Load the extractor, its models and the gazetteer once, before worker processes fork and share them."""
    from newsetl.countries import match_countries
    from newsetl.extract import detect_language, extract_text

    match_countries("warm up", "", "en")
    signature("warm up")  # builds the signature's lookup tables
    detect_language("The language model is loaded and widened on its first use, not at import.")
    try:
        extract_text("warm up", ExtractionContext())
    except NoArticle:
        pass
