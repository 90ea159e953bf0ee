"""`newsetl eval`: run the real pipeline on a labelled landing zone into a temporary warehouse and
score what it wrote (newsetl/evaluation.py has the scoring)."""

import json
import os
import tempfile
from pathlib import Path

from newsetl.evaluation import read_scored_tables, score


def evaluate_landing(gold_path: Path, landing: Path, keep_warehouse: str | None = None) -> dict:
    from orchestration.cli import run_pipeline  # cli imports this module's callers

    gold_rows = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="newsetl-eval-") as scratch:
        warehouse = Path(keep_warehouse).resolve() if keep_warehouse else Path(scratch) / "warehouse"
        saved = {k: os.environ.get(k) for k in ("NEWSETL_LANDING", "NEWSETL_WAREHOUSE")}
        os.environ["NEWSETL_LANDING"] = str(landing.resolve())
        os.environ["NEWSETL_WAREHOUSE"] = str(warehouse)
        try:
            result = run_pipeline(ephemeral=True)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        if not (warehouse / "articles").exists():
            raise RuntimeError("the pipeline wrote no articles table; see the run's errors above")
        articles, rejected, countries = read_scored_tables(warehouse)
    report = score(gold_rows, articles, rejected, countries)
    report["run_success"] = result.success
    report["gold"] = str(gold_path)
    return report
