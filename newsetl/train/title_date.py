"""Train the headline and publication-date rankers of the text cleaner, and validate them by site.

    python -m newsetl.train.title_date                 # rebuild newsetl/data/models/title_date.json
    python -m newsetl.train.title_date --cv            # site-grouped cross-validation only, nothing written
    python -m newsetl.train.title_date --check         # exit 1 unless the committed model is what the corpus gives
    python -m newsetl.train.title_date --tune          # CV accuracy of each margin over the rules' choice

Needs the `train` extra (scikit-learn) and the labelled corpus (/work/shared/corpus, README there). Every
w3m (`txt/`) and Chromium (`inner/`) rendering of a page with a gold headline or date is run through the
text cleaner up to the choice of title and date (newsetl.extract.text.prepare_text); the candidates
newsetl.extract.ranking generates are labelled right when they give the gold headline (after the
site-name strip the cleaner applies) or the gold date. One logistic regression per field scores the
candidates; the best-scoring one is chosen. The weights are written with the standardisation folded
in and rounded, so the run is byte-for-byte reproducible (lbfgs is deterministic; no randomness but the
fold assignment, a hash of the site and --seed).

Cross-validation: folds by site (newsetl.train.validate.site_of), so a site's pages (both renderings)
are never on both sides. Printed per renderer and per language, for the rules alone and for the rankers.
"""

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from newsetl.article import ExtractionContext, NoArticle
from newsetl.evaluation import normalize_title
from newsetl.extract.dates import FoundDate
from newsetl.extract.lines import GOOD, Block
from newsetl.extract.ranking import (
    DATE_FEATURES,
    MODEL_PATH,
    TITLE_FEATURES,
    DateCandidate,
    Linear,
    date_candidates,
    date_features,
    linear_from,
    title_candidates,
)
from newsetl.extract.text import _body_language, _published, prepare_text
from newsetl.extract.title import choose_title, headline_text
from newsetl.train.validate import RENDERERS, site_of

DEFAULT_CORPUS = Path("/work/shared/corpus")
DEFAULT_SEED = 12
FOLDS = 5
# Inverse regularisation strength of both regressions (chosen by the site-grouped CV, see --cv).
C_TITLE = 1.0
C_DATE = 1.0
# How much better than the rules' own choice a candidate must score to replace it (chosen with --tune,
# on the site-grouped folds): the rankers overrule the rules only where they are clearly surer.
MARGIN_TITLE = 0.0
MARGIN_DATE = 0.0
_MARGINS = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 1e9)
_DECIMALS = 6


@dataclass
class PageRecord:
    id: str
    renderer: str
    site: str
    language: str
    gold_title: str | None  # normalized
    gold_date: str | None
    blocks: list[Block] = field(default_factory=list)
    first: int = 0
    last: int = 0
    body_language: str | None = None
    title_rows: list[list[float]] = field(default_factory=list)
    title_index: list[int] = field(default_factory=list)
    title_right: list[bool] = field(default_factory=list)
    rule_title: tuple[int, str] | None = None
    fallback_title: str | None = None  # the body's first block, used when no headline is found
    date_cands: list[DateCandidate] = field(default_factory=list)
    date_right: list[bool] = field(default_factory=list)
    rule_date: str | None = None  # the rules' date, given the rules' headline
    fixed: bool = False  # no article, or a site profile decided: the rankers change nothing


def _day(found: FoundDate | None) -> str | None:
    return found.at.date().isoformat() if found else None


def collect(corpus: Path, labels: list[dict]) -> list[PageRecord]:
    records = []
    for label in labels:
        gold_title = normalize_title(label["title"]) if label.get("title") else None
        gold_date = label["published"][:10] if label.get("published") else None
        if gold_title is None and gold_date is None:
            continue
        for renderer in RENDERERS:
            path = corpus / renderer / f"{label['id']}.txt"
            if not path.exists():
                continue
            record = PageRecord(
                label["id"], renderer, site_of(label), label.get("language") or "?", gold_title, gold_date
            )
            records.append(record)
            ctx = ExtractionContext(url=label.get("url"))
            try:
                page = prepare_text(path.read_text(encoding="utf-8"), ctx)
            except NoArticle:
                record.fixed = True
                continue
            if page.profile is not None:
                record.fixed = True
                continue
            blocks, first, last = page.blocks, page.first, page.last
            record.blocks, record.first, record.last = blocks, first, last
            rule = choose_title(blocks, first, ctx.repeated_lines)
            record.rule_title = rule
            body_first = first + 1 if rule and rule[0] == first and first < last else first
            body_blocks = [b for b in blocks[body_first : last + 1] if b.cls == GOOD]
            record.fallback_title = body_blocks[0].text[:200] if body_blocks else None
            record.body_language = _body_language(body_blocks, page.language, page.hint_blocks)
            for index, features in title_candidates(blocks, first, ctx.repeated_lines, ctx.url):
                record.title_index.append(index)
                record.title_rows.append(features)
                record.title_right.append(normalize_title(headline_text(blocks, index)) == gold_title)
            record.rule_date = _day(
                _published(blocks, rule[0] if rule else None, body_first, last, None, record.body_language)
            )
            record.date_cands = date_candidates(blocks, first, last, None, record.body_language)
            record.date_right = [_day(c.found) == gold_date for c in record.date_cands]
    return records


def _title_outcome(record: PageRecord, model: Linear | None) -> tuple[int | None, bool | None]:
    """(chosen block index, right) for the page; right is None without a gold headline."""
    if record.fixed:
        return None, (False if record.gold_title else None)
    index, text = None, None
    best = model.best(record.title_rows) if model is not None else None
    if best is not None:
        index = record.title_index[best]
        right = record.title_right[best]
    else:
        if record.rule_title is not None:
            index, text = record.rule_title
        else:
            text = record.fallback_title
        right = normalize_title(text) == record.gold_title
    return index, (right if record.gold_title else None)


def _date_rows(record: PageRecord, title_index: int | None) -> list[list[float]]:
    return date_features(record.date_cands, record.blocks, record.first, record.last, title_index)


def _date_outcome(record: PageRecord, title_index: int | None, model: Linear | None) -> bool | None:
    if record.gold_date is None:
        return None
    if record.fixed:
        return False
    if model is not None:
        best = model.best(_date_rows(record, title_index))
        if best is not None:
            return record.date_right[best]
    return record.rule_date == record.gold_date


def _fit(rows: list[list[float]], targets: list[bool], c: float, names: tuple[str, ...]) -> dict:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(targets, dtype=np.int64)
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    regression = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
    regression.fit((x - scaler.mean_) / scale, y)
    weights = regression.coef_[0] / scale
    bias = float(regression.intercept_[0] - np.dot(weights, scaler.mean_))
    return {
        "features": list(names),
        "weights": [round(float(w), _DECIMALS) for w in weights],
        "bias": round(bias, _DECIMALS),
        "margin": 0.0,
        "rows": int(len(y)),
        "positives": int(y.sum()),
    }


def _linear(spec: dict, names: tuple[str, ...]) -> Linear:
    return linear_from(spec, names)


def train(
    records: list[PageRecord],
    margins: tuple[float, float] = (MARGIN_TITLE, MARGIN_DATE),
    c_title: float = C_TITLE,
    c_date: float = C_DATE,
) -> tuple[dict, dict]:
    """(title spec, date spec) trained on records; the date model sees the title model's headlines."""
    rows, targets = [], []
    for r in records:
        if r.gold_title and any(r.title_right):  # pages whose headline is no candidate teach nothing
            rows += r.title_rows
            targets += r.title_right
    title_spec = _fit(rows, targets, c_title, TITLE_FEATURES)
    title_spec["margin"] = margins[0]
    title_model = _linear(title_spec, TITLE_FEATURES)
    rows, targets = [], []
    for r in records:
        # only pages where the choice matters: a right and a wrong candidate
        if r.gold_date and any(r.date_right) and not all(r.date_right):
            rows += _date_rows(r, _title_outcome(r, title_model)[0])
            targets += r.date_right
    date_spec = _fit(rows, targets, c_date, DATE_FEATURES)
    date_spec["margin"] = margins[1]
    return title_spec, date_spec


def fold_of(site: str, seed: int) -> int:
    return int(hashlib.sha256(f"{seed}:{site}".encode()).hexdigest(), 16) % FOLDS


def cross_validate(
    records: list[PageRecord], seed: int, margins: tuple[float, float] = (MARGIN_TITLE, MARGIN_DATE)
) -> list[tuple]:
    """[(record, rule title, rule date, model title, model date)], each page scored by the fold that held it out."""
    outcomes = []
    for fold in range(FOLDS):
        held = [r for r in records if fold_of(r.site, seed) == fold]
        title_spec, date_spec = train([r for r in records if fold_of(r.site, seed) != fold], margins)
        title_model, date_model = _linear(title_spec, TITLE_FEATURES), _linear(date_spec, DATE_FEATURES)
        for r in held:
            rule_index, rule_title = _title_outcome(r, None)
            index, title = _title_outcome(r, title_model)
            outcomes.append(
                (r, rule_title, _date_outcome(r, rule_index, None), title, _date_outcome(r, index, date_model))
            )
    return outcomes


def _macro(outcomes: list[tuple], at: int) -> float:
    """Site-macro accuracy averaged over the two renderers."""
    return sum(
        _figure([(o[0].site, o[at]) for o in outcomes if o[0].renderer == renderer and o[at] is not None])[1]
        for renderer in RENDERERS
    ) / len(RENDERERS)


def tune(records: list[PageRecord], seed: int) -> list[str]:
    """Site-macro CV accuracy (both renderers) of each margin: the title's first, then the date's given that one."""
    folds = []
    for fold in range(FOLDS):
        title_spec, date_spec = train([r for r in records if fold_of(r.site, seed) != fold], (0.0, 0.0))
        folds.append((fold, title_spec, date_spec))

    def figure(margin_title: float, margin_date: float | None) -> float:
        outcomes = []
        for fold, title_spec, date_spec in folds:
            title_model = _linear({**title_spec, "margin": margin_title}, TITLE_FEATURES)
            date_model = _linear({**date_spec, "margin": margin_date or 0.0}, DATE_FEATURES)
            for r in records:
                if fold_of(r.site, seed) == fold:
                    index, title = _title_outcome(r, title_model)
                    date = _date_outcome(r, index, date_model) if margin_date is not None else None
                    outcomes.append((r, None, None, title, date))
        return _macro(outcomes, 3 if margin_date is None else 4)

    lines, best = [], (-1.0, 0.0)
    for margin in _MARGINS:
        value = figure(margin, None)
        lines.append(f"title margin {margin:g}: site-macro title {value:.4f}")
        best = max(best, (value, -margin))
    # (the fold date models were trained with title margin 0; close enough to rank the date margins)
    for margin in _MARGINS:
        lines.append(
            f"date margin {margin:g} (title margin {-best[1]:g}): site-macro date {figure(-best[1], margin):.4f}"
        )
    return lines


def _figure(values: list[tuple[str, bool]]) -> tuple[float, float, int]:
    """(page accuracy, site-macro accuracy, pages) of (site, right) pairs."""
    if not values:
        return 0.0, 0.0, 0
    by_site: dict[str, list[bool]] = defaultdict(list)
    for site, right in values:
        by_site[site].append(right)
    macro = sum(sum(v) / len(v) for v in by_site.values()) / len(by_site)
    return sum(r for _, r in values) / len(values), macro, len(values)


def report(outcomes: list[tuple]) -> str:
    lines = [
        f"{'renderer':<8} {'group':<6} {'field':<5} {'pages':>5} {'rules':>6} {'ranker':>6} {'rules_site':>10} "
        f"{'ranker_site':>11}"
    ]
    languages = sorted(
        {o[0].language for o in outcomes},
        key=lambda language: (-sum(o[0].language == language for o in outcomes), language),
    )
    for renderer in RENDERERS:
        mine = [o for o in outcomes if o[0].renderer == renderer]
        for group in ["all", *languages]:
            rows = mine if group == "all" else [o for o in mine if o[0].language == group]
            for name, rule_at, model_at in (("title", 1, 3), ("date", 2, 4)):
                rule = _figure([(o[0].site, o[rule_at]) for o in rows if o[rule_at] is not None])
                model = _figure([(o[0].site, o[model_at]) for o in rows if o[model_at] is not None])
                if not rule[2] or (group != "all" and rule[2] < 5):
                    continue
                lines.append(
                    f"{renderer:<8} {group:<6} {name:<5} {rule[2]:>5} {rule[0]:>6.3f} {model[0]:>6.3f} "
                    f"{rule[1]:>10.3f} {model[1]:>11.3f}"
                )
    return "\n".join(lines)


def corpus_digest(corpus: Path, labels: list[dict]) -> str:
    """sha256 of the labels and of every rendering the training reads."""
    digest = hashlib.sha256((corpus / "labels.jsonl").read_bytes())
    for label in labels:
        for renderer in RENDERERS:
            path = corpus / renderer / f"{label['id']}.txt"
            if path.exists():
                digest.update(f"{renderer}/{label['id']}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build(corpus: Path, labels: list[dict], seed: int) -> str:
    """The model file's text for this corpus."""
    records = collect(corpus, labels)
    title_spec, date_spec = train(records)
    meta = {
        "what": "headline and publication-date rankers of newsetl.extract.text (newsetl.extract.ranking)",
        "command": "python -m newsetl.train.title_date",
        "corpus_sha256": corpus_digest(corpus, labels),
        "pages": len(labels),
        "renderings": len(records),
        "seed": seed,
        "c_title": C_TITLE,
        "c_date": C_DATE,
        "margin_title": MARGIN_TITLE,
        "margin_date": MARGIN_DATE,
    }
    return json.dumps({"meta": meta, "title": title_spec, "date": date_spec}, indent=1, ensure_ascii=False) + "\n"


def _labels(corpus: Path, limit: int | None) -> list[dict]:
    """The training sites' pages: the validation sites (newsetl/train/split.py) are the eval gate's."""
    from newsetl.train.split import is_validation_page

    with (corpus / "labels.jsonl").open(encoding="utf-8") as rows:
        return [label for label in map(json.loads, rows) if not is_validation_page(label)][:limit]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="fold assignment of the cross-validation")
    parser.add_argument("--limit", type=int, default=None, help="only the first N labelled pages")
    parser.add_argument("--cv", action="store_true", help="site-grouped cross-validation, no model written")
    parser.add_argument("--check", action="store_true", help="exit 1 unless --out is what this corpus builds")
    parser.add_argument("--tune", action="store_true", help="site-grouped CV accuracy of each margin, no model written")
    args = parser.parse_args(argv)
    labels = _labels(args.corpus, args.limit)
    if args.tune:
        print("\n".join(tune(collect(args.corpus, labels), args.seed)))
        return 0
    if args.cv:
        outcomes = cross_validate(collect(args.corpus, labels), args.seed)
        print(f"site-grouped {FOLDS}-fold cross-validation, seed {args.seed}, corpus {args.corpus}")
        print(report(outcomes))
        return 0
    text = build(args.corpus, labels, args.seed)
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'differs from what the corpus builds'}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
