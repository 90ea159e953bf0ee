"""Title and date accuracy of the text extractor on the labelled corpus, per renderer and per site.

    python -m newsetl.train.validate [--corpus /work/shared/corpus] [--limit N]

Pages are grouped by site (the URL's domain, else the source prefix and upstream folder) so that a
site with many pages weighs as much as one with few in the site-macro figure: the rules were tuned on
a handful of sites, and the macro figure is the one that says how they hold on the others.
"""

import argparse
import json
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from newsetl.article import ExtractionContext, NoArticle
from newsetl.evaluation import normalize_title
from newsetl.extract import extract_text

RENDERERS = ("txt", "inner")  # w3m, Chromium innerText


def site_of(label: dict) -> str:
    url = label.get("url") or ""
    # An archived copy belongs to the site it archives: web.archive.org/web/<time>/<original URL>
    archived = url.partition("web.archive.org/web/")[2].partition("/")[2]
    host = urlsplit(archived if "://" in archived else url).hostname
    if host:
        return host.removeprefix("www.")
    prefix = label["id"].split("-", 1)[0]
    return f"{prefix}:{label.get('upstream_path', '').rsplit('/', 1)[0]}"


def _outcomes(corpus: Path, renderer: str, labels: list[dict]) -> list[tuple[str, bool | None, bool | None]]:
    """(site, title right, date right) per page; None where the label has no such field."""
    outcomes = []
    for label in labels:
        path = corpus / renderer / f"{label['id']}.txt"
        if not path.exists():
            continue
        try:
            article = extract_text(path.read_text(encoding="utf-8"), ExtractionContext(url=label.get("url")))
        except NoArticle:
            article = None
        title_right = date_right = None
        if label.get("title"):
            title_right = article is not None and normalize_title(article.title) == normalize_title(label["title"])
        if label.get("published"):
            got = article.published_at.date().isoformat() if article and article.published_at else None
            date_right = got == label["published"][:10]
        outcomes.append((site_of(label), title_right, date_right))
    return outcomes


def _accuracy(outcomes: list[tuple[str, bool | None, bool | None]], field: int) -> tuple[float, float, int, int]:
    """(page accuracy, site-macro accuracy, pages, sites)."""
    by_site: dict[str, list[bool]] = defaultdict(list)
    for outcome in outcomes:
        right = outcome[field]
        if isinstance(right, bool):  # None: the label has no such field
            by_site[outcome[0]].append(right)
    pages = [right for rights in by_site.values() for right in rights]
    if not pages:
        return 0.0, 0.0, 0, 0
    macro = sum(sum(r) / len(r) for r in by_site.values()) / len(by_site)
    return sum(pages) / len(pages), macro, len(pages), len(by_site)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpus"))
    parser.add_argument("--limit", type=int, default=None, help="only the first N labelled pages")
    args = parser.parse_args(argv)
    with (args.corpus / "labels.jsonl").open(encoding="utf-8") as rows:
        labels = [json.loads(row) for row in rows][: args.limit]
    print(f"{'renderer':<8} {'field':<5} {'pages':>5} {'sites':>5} {'acc':>6} {'site_macro':>10}")
    for renderer in RENDERERS:
        outcomes = _outcomes(args.corpus, renderer, labels)
        for name, field in (("title", 1), ("date", 2)):
            accuracy, macro, pages, sites = _accuracy(outcomes, field)
            print(f"{renderer:<8} {name:<5} {pages:>5} {sites:>5} {accuracy:>6.3f} {macro:>10.3f}")


if __name__ == "__main__":
    main()
