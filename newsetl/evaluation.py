"""Quality figures against gold labels, computed as ../shared/eval/README.md describes.

`score` compares what a warehouse holds (`read_scored_tables`) with the gold: body token F1, title
accuracy, date accuracy, language accuracy and country precision/recall/F1, per language, format and
overall. Running the pipeline for it is the command line's part (orchestration/evaluate.py).
"""

import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from newsetl import formats
from newsetl.spacing import PER_CHARACTER_RANGES, character_class

_CJK_CHAR = character_class(PER_CHARACTER_RANGES)
_TOKEN = re.compile(f"[{_CJK_CHAR}]|[^\\W{_CJK_CHAR}]+")
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK_CHAR}])\\s+(?=[{_CJK_CHAR}])")
_WHITESPACE = re.compile(r"\s+")


def normalize_text(text: str | None) -> str:
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text or "")).strip()


def normalize_title(text: str | None) -> str:
    return _SPACE_BETWEEN_CJK.sub("", normalize_text(text))


def tokens(text: str | None) -> list[str]:
    """Lower-cased words for space-delimited scripts, single characters for Han, kana, Hangul, Thai."""
    return _TOKEN.findall(normalize_text(text).lower())


def token_f1(predicted: str | None, gold: str | None) -> float:
    p, g = Counter(tokens(predicted)), Counter(tokens(gold))
    if not p and not g:
        return 1.0
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def _squeeze(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


# The gold's page_kind for a snapshot that must not become an article (newsetl.extract.page_kind's reason).
NOT_AN_ARTICLE = "not_an_article"


class _Tally:
    def __init__(self) -> None:
        self.values: dict[str, list[float]] = defaultdict(list)
        self.tp = self.fp = self.fn = 0
        self.documents = 0

    def add(self, name: str, value: float) -> None:
        self.values[name].append(value)

    def mean(self, name: str) -> tuple[float | None, int]:
        values = self.values.get(name, [])
        return (sum(values) / len(values) if values else None, len(values))

    def countries(self) -> dict:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision and recall
            else (0.0 if precision is not None and recall is not None else None)
        )
        return {"precision": precision, "recall": recall, "f1": f1, "tp": self.tp, "fp": self.fp, "fn": self.fn}


def is_html_file(file: str) -> bool:
    return _format_of(file) == "html"


def _format_of(file: str) -> str:
    """The eval bucket of a file: html, container (a record inside WARC or JSON Lines) or text."""
    fmt, _ = formats.classify(file.partition("#")[0])
    return "container" if fmt.container else fmt.name


def score(
    gold_rows: list[dict], articles: dict[str, dict], rejected: set[str], countries_by_file: dict[str, set[str]]
) -> dict:
    """Figures per language and overall; `articles` is keyed by source_file.

    A gold row with `page_kind` "not_an_article" (a listing, a shop, an about page) is scored in the group
    [not_an_article] alone, on whether the pipeline rejected it; every other row is an article, and
    `article_kept` says whether it reached the articles table."""
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    errors: list[dict] = []
    for gold in gold_rows:
        file = gold["file"]
        article = articles.get(file)
        if gold.get("page_kind") == NOT_AN_ARTICLE:
            tally = tallies[f"[{NOT_AN_ARTICLE}]"]
            tally.documents += 1
            tally.add("non_article_rejected", float(article is None and file in rejected))
            if article is not None:
                errors.append({"file": file, "field": "page_kind", "got": "article", "want": NOT_AN_ARTICLE})
            continue
        lost = article is None and file not in rejected
        buckets = [tallies["overall"], tallies[gold.get("language") or "?"], tallies[f"[{_format_of(file)}]"]]
        if _format_of(file) == "text":  # each text renderer apart too: Chromium innerText (.inner.txt) or other
            buckets.append(tallies["[text:inner]" if file.lower().endswith(".inner.txt") else "[text:txt]"])
        for tally in buckets:
            tally.documents += 1
        article = article or {}
        if lost:
            errors.append({"file": file, "error": "lost: neither article nor rejection"})
        elif not article:
            errors.append({"file": file, "field": "page_kind", "got": "rejected", "want": "article"})

        # Called only within this iteration; the default binds this document's buckets (B023).
        def add(name: str, value: float, buckets: list[_Tally] = buckets) -> None:
            for tally in buckets:
                tally.add(name, value)

        add("article_kept", float(bool(article)))
        if gold.get("body") is not None:
            add("body_f1", token_f1(article.get("body"), gold["body"]))
        body = _squeeze(article.get("body"))
        for snippet in gold.get("body_with") or []:
            add("snippet_recall", float(_squeeze(snippet) in body))
        for snippet in gold.get("body_without") or []:
            add("snippet_leak", float(_squeeze(snippet) in body))
        if gold.get("title") is not None:
            predicted, expected = normalize_title(article.get("title")), normalize_title(gold["title"])
            add("title_exact", float(predicted == expected))
            add("title_relaxed", float(bool(predicted) and (predicted in expected or expected in predicted)))
            if predicted != expected:
                errors.append({"file": file, "field": "title", "got": article.get("title"), "want": gold["title"]})
        if gold.get("published") is not None:
            got = article.get("published_date")
            add("date", float(str(got) == gold["published"] if got else False))
            if not got or str(got) != gold["published"]:
                errors.append({"file": file, "field": "published", "got": str(got), "want": gold["published"]})
        if gold.get("language") is not None:
            add("language", float(article.get("language") == gold["language"]))
            if article.get("language") != gold["language"]:
                errors.append(
                    {"file": file, "field": "language", "got": article.get("language"), "want": gold["language"]}
                )
        if gold.get("countries") is not None:
            optional = set(gold.get("countries_optional") or [])
            expected_countries = set(gold["countries"]) - optional
            predicted_countries = countries_by_file.get(file, set()) - optional
            for tally in buckets:
                tally.tp += len(predicted_countries & expected_countries)
                tally.fp += len(predicted_countries - expected_countries)
                tally.fn += len(expected_countries - predicted_countries)
            if predicted_countries != expected_countries:
                errors.append(
                    {
                        "file": file,
                        "field": "countries",
                        "extra": sorted(predicted_countries - expected_countries),
                        "missing": sorted(expected_countries - predicted_countries),
                    }
                )

    articles_in_gold = sum(1 for gold in gold_rows if gold.get("page_kind") != NOT_AN_ARTICLE)
    groups: dict[str, dict[str, object]] = {}
    # overall first, then the formats, then the languages
    for name, tally in sorted(tallies.items(), key=lambda kv: (kv[0] != "overall", not kv[0].startswith("["), kv[0])):
        group: dict[str, object] = {
            metric: {"mean": tally.mean(metric)[0], "n": tally.mean(metric)[1]} for metric in sorted(tally.values)
        }
        group["documents"] = tally.documents
        group["countries"] = tally.countries()
        groups[name] = group
    return {"documents": articles_in_gold, "groups": groups, "errors": errors}


def read_scored_tables(root: Path) -> tuple[dict[str, dict], set[str], dict[str, set[str]]]:
    import duckdb

    def table(name: str) -> str:
        return f"read_parquet('{root}/{name}/**/*.parquet')"

    with duckdb.connect() as connection:
        rows = connection.execute(
            "SELECT source_file, article_id, title, body, language, published_date, duplicate_of FROM "
            f"{table('articles')}"
        ).fetchall()
        articles = {
            r[0]: {
                "article_id": r[1],
                "title": r[2],
                "body": r[3],
                "language": r[4],
                "published_date": r[5],
                "duplicate_of": r[6],
            }
            for r in rows
        }
        rejected = {
            r[0] for r in connection.execute(f"SELECT source_file FROM {table('rejected_snapshots')}").fetchall()
        }
        facts = connection.execute(
            f"SELECT f.article_id, c.iso2 FROM {table('fact_country_mention')} f "
            f"JOIN {table('dim_country')} c USING (country_key)"
        ).fetchall()
    by_article: dict[str, set[str]] = defaultdict(set)
    for article_id, iso2 in facts:
        by_article[article_id].add(iso2)
    # A duplicate is scored with the facts of the article it duplicates.
    countries_by_file = {
        file: by_article.get(article["duplicate_of"] or article["article_id"], set())
        for file, article in articles.items()
    }
    return articles, rejected, countries_by_file


def _fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:.3f}"


def format_report(report: dict) -> str:
    header = (
        f"{'group':<13} {'docs':>4}  {'body_f1':>7} {'title':>6} {'t_relax':>7} {'date':>6} {'lang':>6}  "
        f"{'c_prec':>6} {'c_rec':>6} {'c_f1':>6}  {'snip_in':>7} {'snip_leak':>9}  {'kept':>6} "
        f"{'nonart_rej':>10}"
    )
    lines = [f"gold: {report.get('gold', '')} ({report['documents']} rows)", header]
    groups = report["groups"]
    for name, group in groups.items():
        docs = group["documents"]
        if name.startswith("[text:") and docs == groups.get("[text]", {}).get("documents"):
            continue  # one text renderer only: its row would repeat [text]
        countries = group["countries"]

        def metric(key: str, group: dict = group) -> str:
            return _fmt(group[key]["mean"]) if key in group else "   -"

        lines.append(
            f"{name:<13} {docs:>4}  {metric('body_f1'):>7} {metric('title_exact'):>6} {metric('title_relaxed'):>7} "
            f"{metric('date'):>6} {metric('language'):>6}  {_fmt(countries['precision']):>6} "
            f"{_fmt(countries['recall']):>6} "
            f"{_fmt(countries['f1']):>6}  {metric('snippet_recall'):>7} {metric('snippet_leak'):>9}  "
            f"{metric('article_kept'):>6} {metric('non_article_rejected'):>10}"
        )
    if not report.get("run_success", True):
        lines.append("warning: the pipeline run reported a failure (see asset checks)")
    return "\n".join(lines)
