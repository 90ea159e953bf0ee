"""Train the "not an article" model on the labelled corpus and write newsetl/data/models/page_kind.json.

    python -m newsetl.train.page_kind [--corpus ../shared/corpus]   (needs the `train` extra)

Every labelled corpus page goes through the pipeline's own decoding and extraction three ways (w3m text,
Chromium innerText, the original HTML bytes), and each article with a full gold body once more as bare text
(headline, blank line, paragraphs, as feeds and exports land); each is one row, so no renderer's habits
decide. Front pages, listings and the non-news sub-kinds info_page, product_or_service, forum_or_ugc,
redirect_stub, feed, video_or_audio_page are negatives; news, press releases, live blogs and blog posts are
articles; the other kinds (recipes, reference, docs, fiction, scholarly) are left out. The corpus validation
sites (newsetl/train/split.py) are never trained on: the trees learn from the other sites, are validated there
by 5-fold cross-validation grouped by site (a site's pages, in every rendering, are on one side only), and the
final model is then measured on the validation sites and on every dev set in ../shared/eval (all articles:
what it would reject there is a false rejection). The threshold of each content type (text, html) is the
lowest score at which none of its renderers loses more than 0.5% of its held-out training-site articles (the
issue allows 1%); recall and loss are printed per renderer, language and page kind. The trees are written as
plain JSON that newsetl.extract.page_kind scores without LightGBM, and the same corpus always gives the same
bytes.
"""

import argparse
import gzip
import hashlib
import json
import math
import pickle
import sys
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from newsetl.article import ExtractionContext, NoArticle
from newsetl.decode import UndecodableSnapshot, decode_snapshot
from newsetl.extract import extract_html, extract_text
from newsetl.train.split import is_validation_page
from newsetl.train.validate import site_of

if TYPE_CHECKING:  # imported where used: only training needs lightgbm
    import lightgbm

NEGATIVE_KINDS = {"front_page", "listing"}
NEGATIVE_SUBKINDS = {"info_page", "product_or_service", "forum_or_ugc", "redirect_stub", "feed", "video_or_audio_page"}
POSITIVE_SUBKINDS = {"news", "press_release", "live_blog", "blog_post"}
RENDERERS = ("w3m", "chromium", "html", "bare")
CONTENT_TYPES = ("text", "html")
_FOLDER = {"w3m": "txt", "chromium": "inner"}


def label_of(page: dict) -> int | None:
    """1 = not an article, 0 = an article (blog posts included), None = left out of training."""
    if page["page_kind"] in NEGATIVE_KINDS or page["page_subkind"] in NEGATIVE_SUBKINDS:
        return 1
    if page["page_subkind"] in POSITIVE_SUBKINDS:
        return 0
    return None


def _stable_bit(text: str) -> bool:
    return hashlib.sha256(text.encode()).digest()[0] % 2 == 0


def _row(page: dict, renderer: str, content_type: str, text: str, url: str | None) -> dict:
    ctx = ExtractionContext(url=url)
    try:
        article = (extract_html if content_type == "html" else extract_text)(text, ctx)
    except NoArticle:
        article = None
    return {
        "id": page["id"],
        "renderer": renderer,
        "label": label_of(page),
        "site": site_of(page),
        "language": page.get("language") or "?",
        "kind": page["page_subkind"],
        "content_type": content_type,
        "text": text,
        "url": url,
        "article": article,
    }


def bare_rows(corpus: Path) -> list[dict]:
    """Articles as bare text (headline, blank line, paragraphs): what a feed or an export of articles
    lands, with no page around them. The corpus's full article bodies give them; renderer "bare"."""
    rows = []
    for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        if label_of(page) == 0 and page.get("body") and page.get("title"):
            text = page["title"] + "\n\n" + page["body"] + "\n"
            rows.append(_row(page, "bare", "text", text, page.get("url") if _stable_bit(page["id"]) else None))
    return rows


def extracted_rows(corpus: Path) -> list[dict]:
    """One row per labelled page and renderer, with what the pipeline sees: the decoded input, the
    content type, the URL it would know, and the extracted article (None where extraction found none).

    Text snapshots come with a URL only sometimes (JSON Lines records, not loose files): half the
    pages, chosen by a hash of their id, keep it for their text rows. HTML rows know the URL the page
    itself names, as a loose HTML file in the landing zone would."""
    rows = []
    for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        label = label_of(page)
        if label is None:
            continue
        for renderer in RENDERERS[:3]:
            if renderer == "html":
                raw = gzip.decompress((corpus / "html" / f"{page['id']}.html.gz").read_bytes())
                content_type, url = "html", None
            else:
                raw = (corpus / _FOLDER[renderer] / f"{page['id']}.txt").read_bytes()
                content_type, url = "text", (page.get("url") if _stable_bit(page["id"]) else None)
            try:
                text = decode_snapshot(raw).text
            except UndecodableSnapshot:
                continue
            rows.append(_row(page, renderer, content_type, text, url))
    return rows + bare_rows(corpus)


def validation_ids(corpus: Path) -> set[str]:
    """Pages of the corpus validation sites (newsetl/train/split.py): never trained on, measured apart."""
    labels = map(json.loads, (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines())
    return {page["id"] for page in labels if is_validation_page(page)}


def dev_rows(eval_root: Path) -> list[dict]:
    """Every dev-set snapshot as the pipeline reads a loose file (no URL), all of them articles: the
    false rejections the gate must not make, measured and never trained on."""
    rows = []
    for gold in sorted(eval_root.glob("*/gold.jsonl")):
        for line in gold.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            raw = (gold.parent / "raw" / entry["file"]).read_bytes()
            if entry["file"].endswith(".gz"):
                raw = gzip.decompress(raw)
            content_type = "html" if ".htm" in entry["file"] else "text"
            renderer = (
                "html" if content_type == "html" else "chromium" if entry["file"].endswith(".inner.txt") else "w3m"
            )
            page = {
                "id": f"{gold.parent.name}/{entry['file']}",
                "page_kind": "article",
                "page_subkind": "news",
                "language": entry.get("language"),
                "url": None,
            }
            try:
                text = decode_snapshot(raw).text
            except UndecodableSnapshot:
                continue
            row = _row(page, renderer, content_type, text, None)
            row["kind"] = f"dev {gold.parent.name}"
            rows.append(row)
    return rows


FOLDS = 5
SEED = 20261203
MAX_ARTICLES_LOST = 0.005
PARAMS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 4,
    "max_depth": 2,
    "min_data_in_leaf": 15,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "scale_pos_weight": 2.0,
    "num_threads": 1,
    "deterministic": True,
    "force_row_wise": True,
    "seed": SEED,
    "verbose": -1,
}
ROUNDS = 400


def featurize(rows: list[dict]) -> None:
    """Add each extracted row's feature vector (rows where extraction found nothing keep none)."""
    from newsetl.extract.page_kind import features

    for row in rows:
        article = row["article"]
        row["features"] = None if article is None else features(row["text"], row["content_type"], article, row["url"])


def assign_folds(rows: list[dict]) -> None:
    """Folds by site, stratified on the label: a site's pages (in every rendering) share one fold."""
    from sklearn.model_selection import StratifiedGroupKFold

    pages = sorted({(r["id"], r["site"], r["label"]) for r in rows})
    splitter = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED % (2**32))
    fold_of = {}
    for fold, (_, test) in enumerate(splitter.split(pages, [p[2] for p in pages], [p[1] for p in pages])):
        for i in test:
            fold_of[pages[i][0]] = fold
    for row in rows:
        row["fold"] = fold_of[row["id"]]


def _train(rows: list[dict]) -> "lightgbm.Booster":
    import lightgbm
    import numpy as np

    x = np.array([r["features"] for r in rows], dtype=np.float64)
    y = np.array([r["label"] for r in rows], dtype=np.float64)
    return lightgbm.train(PARAMS, lightgbm.Dataset(x, y, params={"verbose": -1}), num_boost_round=ROUNDS)


def held_out_scores(rows: list[dict]) -> dict[int, float]:
    """Each extracted row's score from the model trained on the other folds' sites."""
    import numpy as np

    usable = [r for r in rows if r["features"] is not None]
    scores: dict[int, float] = {}
    for fold in range(FOLDS):
        booster = _train([r for r in usable if r["fold"] != fold])
        held = [r for r in usable if r["fold"] == fold]
        for r, p in zip(held, booster.predict(np.array([r["features"] for r in held], dtype=np.float64)), strict=True):
            scores[id(r)] = float(p)
    return scores


def pick_threshold(rows: list[dict], scores: dict[int, float], max_lost: float = MAX_ARTICLES_LOST) -> float:
    """Lowest threshold at which no renderer among the rows loses more than max_lost of its held-out articles."""
    threshold = 0.0
    for renderer in sorted({r["renderer"] for r in rows}):
        article_scores = sorted(
            (
                scores[id(r)]
                for r in rows
                if r["renderer"] == renderer and r["label"] == 0 and r["features"] is not None
            ),
            reverse=True,
        )
        if not article_scores:
            continue
        allowed = int(max_lost * len(article_scores))  # this many may score at or above the threshold
        kept = article_scores[allowed] if allowed < len(article_scores) else 0.0
        threshold = max(threshold, math.nextafter(kept, math.inf))  # just above the kept article
    return threshold


def pick_thresholds(rows: list[dict], scores: dict[int, float]) -> dict[str, float]:
    """One threshold per content type the pipeline can tell apart (text renderings share one)."""
    return {kind: pick_threshold([r for r in rows if r["content_type"] == kind], scores) for kind in CONTENT_TYPES}


def _tally(rows: list[dict], scores: dict[int, float], thresholds: dict[str, float]) -> tuple[int, int, int, int, int]:
    """(negatives, caught by the model, caught by model or extractor, articles, articles the model lost)."""
    flagged = [r for r in rows if r["features"] is not None and scores[id(r)] >= thresholds[r["content_type"]]]
    negatives = [r for r in rows if r["label"] == 1]
    return (
        len(negatives),
        sum(r["label"] == 1 for r in flagged),
        sum(r["label"] == 1 for r in flagged) + sum(r["features"] is None for r in negatives),
        sum(r["label"] == 0 for r in rows),
        sum(r["label"] == 0 for r in flagged),
    )


def report(rows: list[dict], scores: dict[int, float], thresholds: dict[str, float], title: str) -> list[str]:
    named = ", ".join(f"{kind} {value:.4f}" for kind, value in thresholds.items())
    lines = [
        f"== not_an_article, {title}; thresholds {named}",
        "recall: negatives the model rejects; recall+ex: with those the extractor already rejects; "
        "lost: articles the model rejects",
        f"{'group':<22} {'negatives':>9} {'recall':>7} {'recall+ex':>9} {'articles':>8} {'lost':>5} {'lost%':>6}",
    ]

    def line(name: str, group: list[dict]) -> str:
        neg, caught, caught_all, art, lost = _tally(group, scores, thresholds)
        recall = f"{caught / neg:.3f}" if neg else "-"
        recall_all = f"{caught_all / neg:.3f}" if neg else "-"
        lost_share = f"{100 * lost / art:.2f}" if art else "-"
        return f"{name:<22} {neg:>9} {recall:>7} {recall_all:>9} {art:>8} {lost:>5} {lost_share:>6}"

    lines.append(line("all", rows))
    for renderer in RENDERERS:
        lines.append(line(f"renderer {renderer}", [r for r in rows if r["renderer"] == renderer]))
    by_language: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_language[r["language"]].append(r)
    for language in sorted(by_language, key=lambda k: (-len(by_language[k]), k)):
        lines.append(line(f"language {language}", by_language[language]))
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_kind[r["kind"]].append(r)
    for kind in sorted(by_kind):
        lines.append(line(f"kind {kind}", by_kind[kind]))
    return lines


def export(booster: "lightgbm.Booster", thresholds: dict[str, float]) -> dict:
    """The booster as plain arrays per tree: feature index (-1 at a leaf), threshold, children, NaN side, value."""
    from newsetl.extract.page_kind import FEATURES

    trees = []
    for info in booster.dump_model()["tree_info"]:
        tree: dict[str, list] = {"feature": [], "threshold": [], "left": [], "right": [], "nan_left": [], "value": []}

        # The default binds this iteration's tree (walk runs before the next one starts; B023).
        def walk(node: dict, tree: dict[str, list] = tree) -> int:
            index = len(tree["feature"])
            for key in tree:
                tree[key].append(None)
            if "leaf_value" in node:
                tree["feature"][index], tree["threshold"][index], tree["value"][index] = -1, 0.0, node["leaf_value"]
                tree["left"][index] = tree["right"][index] = -1
                tree["nan_left"][index] = False
                return index
            if node["decision_type"] != "<=" or node["missing_type"] not in ("None", "NaN"):
                raise ValueError(f"unsupported split {node['decision_type']} / {node['missing_type']}")
            threshold_value = float(node["threshold"])
            tree["feature"][index], tree["threshold"][index], tree["value"][index] = (
                node["split_feature"],
                threshold_value,
                0.0,
            )
            # missing_type None: LightGBM reads NaN as 0.0; NaN: it goes the default side.
            tree["nan_left"][index] = (
                bool(node["default_left"]) if node["missing_type"] == "NaN" else 0.0 <= threshold_value
            )
            tree["left"][index] = walk(node["left_child"])
            tree["right"][index] = walk(node["right_child"])
            return index

        walk(info["tree_structure"])
        trees.append(tree)
    return {
        "features": list(FEATURES),
        "thresholds": thresholds,
        "max_articles_lost": MAX_ARTICLES_LOST,
        "seed": SEED,
        "trees": trees,
    }


def dumps(model: dict) -> str:
    """Stable text: one tree per line, floats as Python writes them (shortest round-trip)."""
    head = {k: v for k, v in model.items() if k != "trees"}
    lines = [json.dumps(head, sort_keys=True)[:-1] + ', "trees": [']
    lines.append(",\n".join(json.dumps(tree, sort_keys=True, separators=(",", ":")) for tree in model["trees"]))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def _predict(booster: "lightgbm.Booster", rows: list[dict]) -> dict[int, float]:
    import numpy as np

    usable = [r for r in rows if r["features"] is not None]
    if not usable:
        return {}
    predicted = booster.predict(np.array([r["features"] for r in usable], dtype=np.float64))
    return {id(r): float(p) for r, p in zip(usable, predicted, strict=True)}


def main(argv: list[str] | None = None) -> int:
    from newsetl.extract.page_kind import MODEL_PATH, score

    shared = Path(__file__).resolve().parents[2].parent / "shared"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=shared / "corpus")
    parser.add_argument("--eval", type=Path, default=shared / "eval", help="dev sets: false rejections are reported")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--cache", type=Path, help="keep the extracted rows in this pickle (faster reruns)")
    args = parser.parse_args(argv)
    if args.cache and args.cache.exists():
        cached = pickle.loads(args.cache.read_bytes())
    else:
        cached = {"corpus": extracted_rows(args.corpus), "dev": dev_rows(args.eval) if args.eval.exists() else []}
        if args.cache:
            args.cache.write_bytes(pickle.dumps(cached))
    rows, dev = cached["corpus"], cached["dev"]
    held = validation_ids(args.corpus)
    featurize(rows + dev)
    training = [r for r in rows if r["id"] not in held]
    validation = [r for r in rows if r["id"] in held]
    assign_folds(training)
    scores = held_out_scores(training)
    thresholds = pick_thresholds(training, scores)
    print(
        "\n".join(
            report(training, scores, thresholds, f"{FOLDS}-fold cross-validation grouped by site, training sites")
        )
    )
    usable = [r for r in training if r["features"] is not None]
    booster = _train(usable)
    final = _predict(booster, validation + dev)
    print("\n".join(report(validation, final, thresholds, "validation sites (never trained on), final model")))
    if dev:
        print("\n".join(report(dev, final, thresholds, "dev sets (all articles), final model")))
    model = export(booster, thresholds)
    model = json.loads(dumps(model))
    expected = _predict(booster, usable)
    drift = max(abs(score(model, r["features"]) - expected[id(r)]) for r in usable)
    if drift > 1e-9:
        raise SystemExit(f"the exported trees score {drift:g} away from LightGBM's own prediction")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(dumps(model), encoding="utf-8")
    print(f"wrote {args.out} ({len(model['trees'])} trees)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
