"""The evaluation gate: `newsetl eval-gate` runs `newsetl eval` on every dev set and on the corpus's
site-disjoint validation slice, and fails when a figure falls under its pinned floor.

    newsetl eval-gate [--shared ../shared] [--floors orchestration/eval_floors.toml]
    newsetl eval-gate --write-floors        # after an improvement: pin the new figures (minus a margin)

Floors are kept per set for the overall row, each input format, each text renderer and each language
with enough documents, so a change that gains in German and loses in Czech fails. `snippet_leak` is the one
figure where lower is better: it gets a ceiling. CI runs the gate when ../shared is present (.ci/run).
"""

import argparse
import json
import math
import shutil
import sys
import tempfile
import tomllib
from dataclasses import replace
from pathlib import Path

from newsetl import config
from newsetl.settings import Settings
from orchestration.settings import from_environment

DEV_SETS = ("seeds", "body_en", "countries_en", "countries_ru", "multi", "vi", "wide")
CORPUS_SET = "corpus_validation"
# The validation sites' pages that are no article (front pages, listings, shops, about pages...): the
# page-kind gate must reject them. A set of their own, so they never shift the articles' figures.
CORPUS_NON_ARTICLE_SET = "corpus_non_articles"
FLOORS_FILE = Path(__file__).with_name("eval_floors.toml")
# Higher is better for these; the gate keeps them at or above their floors.
RAISED = (
    "body_f1",
    "title_exact",
    "date",
    "language",
    "countries_f1",
    "snippet_recall",
    "article_kept",
    "non_article_rejected",
)
LOWERED = ("snippet_leak",)
# A floor sits this far under the figure it was pinned from: run-to-run noise is nil (the pipeline is
# deterministic), the margin is for small, honest trade-offs that a reviewer then sees in the diff.
MARGIN = 0.02
# Articles that stop being articles (a rejection) are no trade-off to allow: their floor is the figure itself.
NO_MARGIN = ("article_kept",)
# A group with fewer scored documents than this has no floor of its own (one page flips it by 0.3).
MIN_DOCUMENTS = 4
# Countries are held where the gold has this many page-country pairs (one page in its three renderings).
MIN_COUNTRY_PAIRS = 3
# Corpus pages that stay articles (issue: blog posts are articles for the pipeline too).
CORPUS_ARTICLE_KINDS = {("article", None), ("non_news", "blog_post")}


def corpus_non_article_set(corpus: Path, folder: Path) -> Path:
    """Write the validation sites' non-articles (newsetl.train.page_kind's negatives) in their three
    renderings as an eval set into `folder`: gold rows with page_kind not_an_article and nothing else."""
    from newsetl.evaluation import NOT_AN_ARTICLE
    from newsetl.train.page_kind import label_of
    from newsetl.train.split import is_validation_page

    raw = folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    gold_rows = []
    for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        if label_of(label) != 1 or not is_validation_page(label):
            continue
        for name, source in (
            (f"{label['id']}.html.gz", corpus / "html" / f"{label['id']}.html.gz"),
            (f"{label['id']}.txt", corpus / "txt" / f"{label['id']}.txt"),
            (f"{label['id']}.inner.txt", corpus / "inner" / f"{label['id']}.txt"),
        ):
            if source.exists():
                shutil.copyfile(source, raw / name)
                gold_rows.append({"file": name, "page_kind": NOT_AN_ARTICLE})
    gold = folder / "gold.jsonl"
    gold.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in gold_rows), encoding="utf-8")
    return gold


def corpus_validation_set(corpus: Path, folder: Path) -> Path:
    """Write the validation slice of the corpus as an eval set (raw/ + gold.jsonl) into `folder`.

    Each page comes as its HTML, its w3m text (.txt) and its Chromium text (.inner.txt). A text rendering
    is scored on the title or date only where the corpus says that rendering shows it: a date that the
    page prints nowhere but in its HTML metadata cannot be asked of a text snapshot.
    """
    from newsetl.train.split import is_validation_page

    raw = folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    gold_rows = []
    for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        kind = (label["page_kind"], None if label["page_kind"] == "article" else label.get("page_subkind"))
        if kind not in CORPUS_ARTICLE_KINDS or not is_validation_page(label):
            continue
        checks = label.get("checks") or {}
        renderings = (
            (f"{label['id']}.html.gz", corpus / "html" / f"{label['id']}.html.gz", True, True),
            (
                f"{label['id']}.txt",
                corpus / "txt" / f"{label['id']}.txt",
                checks.get("title_in_w3m"),
                checks.get("date_in_w3m"),
            ),
            # the corpus checks the date in the w3m text only; Chromium shows the same visible text
            (
                f"{label['id']}.inner.txt",
                corpus / "inner" / f"{label['id']}.txt",
                checks.get("title_in_inner"),
                checks.get("date_in_w3m"),
            ),
        )
        for name, source, title_shown, date_shown in renderings:
            if not source.exists():
                continue
            shutil.copyfile(source, raw / name)
            row = {"file": name, "language": label["language"]}
            if label.get("title") and title_shown:
                row["title"] = label["title"]
            if label.get("published") and date_shown:
                row["published"] = label["published"][:10]
            if label.get("body_kind") == "full" and label.get("body"):
                row["body"] = label["body"]
            for key in ("body_with", "body_without"):
                if label.get(key):
                    row[key] = label[key]
            gold_rows.append(row)
    gold = folder / "gold.jsonl"
    gold.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in gold_rows), encoding="utf-8")
    return gold


def figures(report: dict) -> dict[str, dict[str, float]]:
    """{group: {metric: value}} of an eval report, for the groups and metrics the gate holds."""
    held: dict[str, dict[str, float]] = {}
    text_documents = report["groups"].get("[text]", {}).get("documents")
    for group, values in report["groups"].items():
        if group.startswith("[text:") and values["documents"] == text_documents:
            continue  # the only text renderer of the set: [text] holds it already
        row = {}
        for metric in RAISED + LOWERED:
            if metric == "countries_f1":
                countries = values["countries"]
                if countries["f1"] is not None and countries["tp"] + countries["fn"] >= MIN_COUNTRY_PAIRS:
                    row[metric] = countries["f1"]
            elif metric in values and values[metric]["mean"] is not None and values[metric]["n"] >= MIN_DOCUMENTS:
                row[metric] = values[metric]["mean"]
        if row:
            held[group] = row
    return held


def pinned(measured: dict[str, dict[str, dict[str, float]]]) -> dict[str, dict[str, dict[str, float]]]:
    """Floors (and ceilings) a margin away from the measured figures, rounded to two places away from them."""
    floors: dict = {}
    for name, groups in measured.items():
        for group, row in groups.items():
            for metric, value in row.items():
                if metric in LOWERED:
                    bound = min(1.0, math.ceil((value + MARGIN) * 100) / 100)
                else:
                    margin = 0.0 if metric in NO_MARGIN else MARGIN
                    bound = max(0.0, math.floor((value - margin) * 100) / 100)
                floors.setdefault(name, {}).setdefault(group, {})[metric] = bound
    return floors


def failures(measured: dict, floors: dict) -> list[str]:
    found = []
    for name, groups in floors.items():
        for group, row in groups.items():
            for metric, bound in row.items():
                value = measured.get(name, {}).get(group, {}).get(metric)
                if value is None:
                    found.append(f"{name} {group} {metric}: no figure any more (floor {bound:.2f})")
                elif metric in LOWERED and value > bound + 1e-9:
                    found.append(f"{name} {group} {metric}: {value:.3f} above the ceiling {bound:.2f}")
                elif metric not in LOWERED and value < bound - 1e-9:
                    found.append(f"{name} {group} {metric}: {value:.3f} under the floor {bound:.2f}")
    return found


def write_floors(path: Path, floors: dict) -> None:
    lines = [
        "# Pinned by `newsetl eval-gate --write-floors` (figure minus a margin; snippet_leak: plus).",
        "# A change that lowers a figure under its floor fails CI; raise floors when figures improve.",
    ]
    for name in floors:
        for group, row in floors[name].items():
            lines.append("")
            lines.append(f'[{name}."{group}"]')
            lines.extend(f"{metric} = {bound:.2f}" for metric, bound in row.items())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure(shared: Path, sets: list[str]) -> dict[str, dict]:
    """{set: eval report} for each dev set and the corpus slices found under `shared`."""
    reports: dict[str, dict] = {}
    # The page-kind gate is held too (it is opt-in in the product): every dev article must stay an
    # article with it on, and the corpus's non-articles must be rejected.
    settings = replace(from_environment(), reject_non_articles=True)
    with tempfile.TemporaryDirectory(prefix="newsetl-gate-") as scratch:
        _measure_sets(settings, shared, sets, Path(scratch), reports)
    return reports


def _measure_sets(settings: Settings, shared: Path, sets: list[str], scratch: Path, reports: dict[str, dict]) -> None:
    from newsetl.evaluation import format_report
    from orchestration.evaluate import evaluate_landing, evaluate_trafilatura

    for name in sets:
        if name in (CORPUS_SET, CORPUS_NON_ARTICLE_SET):
            corpus = shared / "corpus"
            if not (corpus / "labels.jsonl").exists():
                continue
            write_set = corpus_validation_set if name == CORPUS_SET else corpus_non_article_set
            gold = write_set(corpus, scratch / name)
            landing = gold.parent / "raw"
        else:
            gold, landing = shared / "eval" / name / "gold.jsonl", shared / "eval" / name / "raw"
            if not gold.exists():
                continue
        report = evaluate_landing(gold, landing, settings=settings)
        print(f"== {name}", flush=True)
        print(format_report(report), flush=True)
        if "[html]" in report["groups"]:
            anchor = evaluate_trafilatura(gold, landing)
            print(side_by_side(report["groups"]["[html]"], anchor["groups"]["overall"]), flush=True)
        reports[name] = report


def side_by_side(ours: dict, anchor: dict) -> str:
    """Our HTML figures beside trafilatura's on the same files (the issue's 'at least as good' anchor)."""
    cells = []
    for metric, label in (
        ("body_f1", "body F1"),
        ("title_exact", "title"),
        ("date", "date"),
        ("snippet_recall", "snippets in"),
    ):
        mine, theirs = ours.get(metric, {}).get("mean"), anchor.get(metric, {}).get("mean")
        if mine is not None and theirs is not None:
            cells.append(f"{label} {mine:.3f} vs {theirs:.3f}")
    return "HTML, newsetl vs trafilatura alone: " + (", ".join(cells) or "nothing to compare")


def summary_table(reports: dict[str, dict]) -> str:
    """The README's quality table: one row per set, from the same reports the gate checks."""

    def cell(group: dict | None, metric: str) -> str:
        value = (group or {}).get(metric, {}).get("mean")
        return "–" if value is None else f"{value:.3f}"

    rows = [
        "| set | docs | body F1 text | body F1 HTML | title text | title HTML | date text | date HTML | language | "
        "countries P / R / F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, report in reports.items():
        groups = report["groups"]
        if "overall" not in groups:
            continue  # no articles in the set (the non-articles): its own report above shows it
        text, html, overall = groups.get("[text]"), groups.get("[html]"), groups["overall"]
        countries = overall["countries"]
        prf = (
            "–" if countries["f1"] is None else " / ".join(f"{countries[k]:.3f}" for k in ("precision", "recall", "f1"))
        )
        rows.append(
            f"| {name} | {report['documents']} | {cell(text, 'body_f1')} | {cell(html, 'body_f1')} | "
            f"{cell(text, 'title_exact')} | "
            f"{cell(html, 'title_exact')} | {cell(text, 'date')} | {cell(html, 'date')} | "
            f"{cell(overall, 'language')} | {prf} |"
        )
    return "\n".join(rows)


def cmd_eval_gate(args: argparse.Namespace) -> int:
    shared = Path(args.shared)
    if not shared.is_dir():
        print(f"eval-gate: no shared data at {shared}; nothing to gate", file=sys.stderr)
        return 2
    sets = args.sets or [*DEV_SETS, CORPUS_SET, CORPUS_NON_ARTICLE_SET]
    reports = measure(shared, sets)
    measured = {name: figures(report) for name, report in reports.items()}
    print(summary_table(reports))
    floors_path = Path(args.floors)
    if args.write_floors:
        write_floors(floors_path, pinned(measured))
        print(f"eval-gate: floors written to {floors_path}")
        return 0
    floors = tomllib.loads(floors_path.read_text(encoding="utf-8"))
    floors = {name: groups for name, groups in floors.items() if name in reports}
    failed = failures(measured, floors)
    held = sum(len(row) for groups in floors.values() for row in groups.values())
    if failed:
        print(f"eval-gate: {len(failed)} of {held} floors broken:")
        print("\n".join(f"  {line}" for line in failed))
        return 1
    print(f"eval-gate: all {held} floors hold on {', '.join(reports)}")
    return 0


def add_eval_gate_parser(commands) -> None:
    gate = commands.add_parser(
        "eval-gate", help="quality floors: eval on every dev set and the corpus validation slice"
    )
    gate.add_argument(
        "--shared",
        default=str(config.PROJECT_ROOT.parent / "shared"),
        help="the folder with eval/ and corpus/ (default: ../shared)",
    )
    gate.add_argument(
        "--floors", default=str(FLOORS_FILE), help="the pinned floors (default: orchestration/eval_floors.toml)"
    )
    gate.add_argument(
        "--sets",
        nargs="*",
        help=f"only these sets (default: {', '.join(DEV_SETS)}, {CORPUS_SET}, {CORPUS_NON_ARTICLE_SET})",
    )
    gate.add_argument("--write-floors", action="store_true", help="measure and pin new floors instead of checking them")
    gate.set_defaults(func=cmd_eval_gate)
