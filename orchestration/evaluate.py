"""`newsetl eval`: run the real pipeline on a labelled landing zone into a temporary warehouse and
score what it wrote (newsetl/evaluation.py has the scoring)."""

import json
import tempfile
from dataclasses import replace
from pathlib import Path

from newsetl.evaluation import read_scored_tables, score
from newsetl.settings import DEFAULTS, Settings
from orchestration.runs import run_pipeline


def evaluate_landing(
    gold_path: Path, landing: Path, keep_warehouse: str | None = None, settings: Settings = DEFAULTS
) -> dict:
    """The figures of a pipeline run with `settings` on `landing` into a scratch (or the kept) warehouse."""
    gold_rows = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="newsetl-eval-") as scratch:
        warehouse = Path(keep_warehouse).resolve() if keep_warehouse else Path(scratch) / "warehouse"
        run_settings = replace(settings, landing=str(landing.resolve()), warehouse=str(warehouse))
        result = run_pipeline(run_settings, ephemeral=True)
        if not (warehouse / "articles").exists():
            raise RuntimeError("the pipeline wrote no articles table; see the run's errors above")
        articles, rejected, countries = read_scored_tables(warehouse)
    report = score(gold_rows, articles, rejected, countries)
    report["run_success"] = result.success
    report["gold"] = str(gold_path)
    return report


def evaluate_trafilatura(gold_path: Path, landing: Path) -> dict:
    """The anchor for HTML: trafilatura alone (its text, title and date, default settings plus metadata)
    on the same HTML files of the gold, scored by the same rules. Text snapshots are not its input."""
    import gzip

    import trafilatura
    from trafilatura.settings import Document

    from newsetl.evaluation import is_html_file

    gold_rows = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold_rows = [row for row in gold_rows if is_html_file(row["file"])]
    articles = {}
    for row in gold_rows:
        data = (landing / row["file"]).read_bytes()
        if row["file"].lower().endswith(".gz"):
            data = gzip.decompress(data)
        try:
            doc = trafilatura.bare_extraction(data, with_metadata=True)
        except Exception:  # scored as no article, like a crash of ours would be
            doc = None
        if isinstance(doc, Document) and (doc.text or "").strip():
            articles[row["file"]] = {"title": doc.title, "body": doc.text, "language": None, "published_date": doc.date}
    report = score(gold_rows, articles, set(), {})
    report["gold"] = f"{gold_path} (trafilatura {trafilatura.__version__}, HTML files only)"
    return report
