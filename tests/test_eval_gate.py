"""The evaluation gate pins floors under measured figures and fails on any figure that falls under one."""

import gzip
import json

from newsetl.train.split import is_validation_page, is_validation_site
from orchestration import eval_gate


def _report(groups: dict) -> dict:
    return {"groups": groups}


def _group(title: float, n: int, countries: tuple[int, int, int] = (0, 0, 0), leak: float | None = None) -> dict:
    tp, fp, fn = countries
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
    group = {
        "title_exact": {"mean": title, "n": n},
        "documents": n,
        "countries": {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn},
    }
    if leak is not None:
        group["snippet_leak"] = {"mean": leak, "n": n}
    return group


def test_small_groups_get_no_floor_and_countries_need_gold_pairs():
    measured = eval_gate.figures(_report({"overall": _group(0.8, 10, (9, 1, 1)), "xx": _group(1.0, 2, (1, 0, 0))}))
    assert set(measured) == {"overall"}
    assert set(measured["overall"]) == {"title_exact", "countries_f1"}


def test_floors_sit_under_the_figures_and_a_drop_fails():
    measured = {"wide": eval_gate.figures(_report({"overall": _group(0.806, 10, leak=0.09)}))}
    floors = eval_gate.pinned(measured)
    assert floors == {"wide": {"overall": {"title_exact": 0.78, "snippet_leak": 0.11}}}
    assert eval_gate.failures(measured, floors) == []
    worse = {"wide": eval_gate.figures(_report({"overall": _group(0.70, 10, leak=0.2)}))}
    broken = eval_gate.failures(worse, floors)
    assert len(broken) == 2 and "under the floor" in broken[0] and "above the ceiling" in broken[1]
    assert "no figure any more" in eval_gate.failures({"wide": {}}, floors)[0]


def test_floors_file_round_trips(tmp_path):
    import tomllib

    floors = {"multi": {"overall": {"body_f1": 0.9}, "[text:inner]": {"date": 0.5}}}
    path = tmp_path / "floors.toml"
    eval_gate.write_floors(path, floors)
    assert tomllib.loads(path.read_text()) == floors


def test_the_split_is_by_site_and_stable():
    pages = [{"id": f"tra-{i}", "url": f"https://site{i % 40}.example/a/{i}"} for i in range(400)]
    held_out = {page["url"].split("/")[2] for page in pages if is_validation_page(page)}
    trained = {page["url"].split("/")[2] for page in pages if not is_validation_page(page)}
    assert held_out and trained and not held_out & trained
    assert 0.05 < len(held_out) / 40 < 0.4
    assert is_validation_site("example.org") == is_validation_site("example.org")


def test_corpus_slice_scores_a_text_rendering_only_on_what_it_shows(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    for folder in ("html", "txt", "inner"):
        (corpus / folder).mkdir(parents=True)
    label = {
        "id": "tra-1",
        "url": "https://held.example/x",
        "language": "de",
        "page_kind": "article",
        "page_subkind": "news",
        "title": "Titel",
        "published": "2024-05-03",
        "body_kind": "snippets",
        "body_with": ["a b"],
        "body_without": [],
        "checks": {"title_in_w3m": True, "title_in_inner": False, "date_in_w3m": False},
    }
    other = dict(label, id="tra-2", page_kind="non_news", page_subkind="info_page")
    (corpus / "labels.jsonl").write_text("\n".join(json.dumps(row) for row in (label, other)) + "\n")
    for page in ("tra-1", "tra-2"):
        (corpus / "html" / f"{page}.html.gz").write_bytes(gzip.compress(b"<html></html>"))
        (corpus / "txt" / f"{page}.txt").write_text("Titel\n")
        (corpus / "inner" / f"{page}.txt").write_text("Titel\n")
    monkeypatch.setattr("newsetl.train.split.is_validation_page", lambda label: True)
    gold = eval_gate.corpus_validation_set(corpus, tmp_path / "slice")
    rows = {row["file"]: row for row in map(json.loads, gold.read_text().splitlines())}
    assert set(rows) == {"tra-1.html.gz", "tra-1.txt", "tra-1.inner.txt"}  # the info page is no article
    assert rows["tra-1.html.gz"]["title"] == "Titel" and rows["tra-1.html.gz"]["published"] == "2024-05-03"
    assert "published" not in rows["tra-1.txt"] and rows["tra-1.txt"]["title"] == "Titel"
    assert "title" not in rows["tra-1.inner.txt"]
    assert (tmp_path / "slice" / "raw" / "tra-1.inner.txt").read_text() == "Titel\n"


def test_non_article_set_holds_the_validation_sites_negatives_in_each_rendering(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    for folder in ("html", "txt", "inner"):
        (corpus / folder).mkdir(parents=True)
    pages = [
        {"id": "tra-1", "url": "https://held.example/x", "page_kind": "article", "page_subkind": "news"},
        {
            "id": "tra-2",
            "url": "https://held.example/shop",
            "page_kind": "non_news",
            "page_subkind": "product_or_service",
        },
        {"id": "tra-3", "url": "https://held.example/r", "page_kind": "non_news", "page_subkind": "recipe"},
    ]
    (corpus / "labels.jsonl").write_text("\n".join(json.dumps(row) for row in pages) + "\n")
    for page in ("tra-1", "tra-2", "tra-3"):
        (corpus / "html" / f"{page}.html.gz").write_bytes(gzip.compress(b"<html></html>"))
        (corpus / "txt" / f"{page}.txt").write_text("Shop\n")
        (corpus / "inner" / f"{page}.txt").write_text("Shop\n")
    monkeypatch.setattr("newsetl.train.split.is_validation_page", lambda label: True)
    gold = eval_gate.corpus_non_article_set(corpus, tmp_path / "negatives")
    rows = [json.loads(line) for line in gold.read_text().splitlines()]
    # the article and the recipe (a kind left out of the page-kind labels) are not in it
    assert rows == [
        {"file": name, "page_kind": "not_an_article"} for name in ("tra-2.html.gz", "tra-2.txt", "tra-2.inner.txt")
    ]
    assert (tmp_path / "negatives" / "raw" / "tra-2.inner.txt").read_text() == "Shop\n"


def test_summary_table_has_a_row_per_set_with_text_and_html_apart():
    report = {
        "documents": 3,
        "groups": {
            "overall": {**_group(0.5, 3, (2, 0, 0)), "language": {"mean": 1.0, "n": 3}},
            "[text]": {**_group(0.25, 2), "body_f1": {"mean": 0.8, "n": 2}},
            "[html]": _group(1.0, 1),
        },
    }
    table = eval_gate.summary_table({"wide": report}).splitlines()
    assert len(table) == 3
    assert table[2] == "| wide | 3 | 0.800 | – | 0.250 | 1.000 | – | – | 1.000 | 1.000 / 1.000 / 1.000 |"


def test_side_by_side_names_both_figures_where_both_exist():
    ours = {"body_f1": {"mean": 0.95, "n": 3}, "title_exact": {"mean": 1.0, "n": 3}}
    anchor = {"body_f1": {"mean": 0.9, "n": 3}, "date": {"mean": 0.5, "n": 3}}
    assert eval_gate.side_by_side(ours, anchor) == "HTML, newsetl vs trafilatura alone: body F1 0.950 vs 0.900"


def test_trafilatura_anchor_scores_only_html_files(tmp_path):
    from orchestration.evaluate import evaluate_trafilatura

    page = (
        "<html><head><title>Budget passes</title></head><body><article><h1>Budget passes</h1>"
        + ("<p>" + "The council approved the budget after a long debate about buses and trains. " * 6 + "</p>") * 3
        + "</article></body></html>"
    )
    (tmp_path / "a.html").write_text(page)
    (tmp_path / "a.txt").write_text("Budget passes\n")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"file": "a.html", "title": "Budget passes"})
        + "\n"
        + json.dumps({"file": "a.txt", "title": "x"})
        + "\n"
    )
    report = evaluate_trafilatura(gold, tmp_path)
    assert report["documents"] == 1 and report["groups"]["overall"]["title_exact"]["mean"] == 1.0
