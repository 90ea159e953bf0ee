"""The `newsetl` command line: run the pipeline, open the UI, query the warehouse, evaluate."""

import argparse
import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from newsetl import config
from newsetl.settings import Settings
from orchestration.bench_cli import add_bench_parser
from orchestration.eval_gate import add_eval_gate_parser
from orchestration.report_cli import add_report_parser
from orchestration.runs import dagster_home, run_pipeline, run_reports
from orchestration.settings import child_environ, from_environment

if TYPE_CHECKING:
    from newsetl.storage import Warehouse


def _location(given: str) -> str:
    return str(Path(given).resolve()) if "://" not in given else given


def settings_of(args: argparse.Namespace) -> Settings:
    """This process's settings, with the --landing and --warehouse the command was given."""
    settings = from_environment()
    if getattr(args, "landing", None):
        settings = replace(settings, landing=_location(args.landing))
    if getattr(args, "warehouse", None):
        settings = replace(settings, warehouse=_location(args.warehouse))
    return settings


def _added(total, value):
    """Counts of several runs added up (numbers, and {name: count} maps); anything else is the last run's."""
    number = (int, float)
    if isinstance(value, number) and not isinstance(value, bool) and isinstance(total, number):
        return total + value
    if isinstance(value, dict) and isinstance(total, dict) and all(isinstance(v, number) for v in value.values()):
        return {k: total.get(k, 0) + value.get(k, 0) for k in {**total, **value}}
    return value


def _this_run(result) -> dict[str, dict]:
    """{asset: its materialization metadata, as plain values}, added up over the runs of one invocation."""
    merged: dict[str, dict] = {}
    for event in result.get_asset_materialization_events():
        into = merged.setdefault(event.asset_key.to_user_string(), {})
        for key, value in event.materialization.metadata.items():
            into[key] = _added(into[key], value.value) if key in into else value.value
    return merged


def _count(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else noun + 's'}"


def _per_reason(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    return f"{total}" + (": " + ", ".join(f"{reason} {n}" for reason, n in counts.items()) if total else "")


def _summary(warehouse: "Warehouse", result=None) -> str:
    """What this run did (when its Dagster result is given), then what the warehouse holds."""
    from newsetl.query import run_query

    lines = []
    if result is not None:
        run = _this_run(result)
        raw, articles, rejected = (
            run.get("raw_snapshots", {}),
            run.get("articles", {}),
            run.get("rejected_snapshots", {}),
        )
        repeated = raw.get("repeated_bytes", 0)
        skipped = raw.get("skipped_by_reason") or _skipped_by_reason(result.planned)
        lines += [
            f"this run:     {_count(raw.get('new_files', 0), 'new file')} -> "
            f"{_count(raw.get('batch_rows', 0), 'new snapshot')}"
            + (
                f" ({_count(repeated, 'file')} {'repeats' if repeated == 1 else 'repeat'} bytes already held)"
                if repeated
                else ""
            )
            + f", {_count(result.planned.already_ingested, 'file')} unchanged (already ingested)",
            f"  cleaned:    {_count(articles.get('new_articles', 0), 'article')} "
            f"({articles.get('near_duplicates', 0)} near-duplicates)",
            f"  rejected:   {_per_reason(rejected.get('reasons_by_kind', {}))}",
            f"  skipped:    {_per_reason(skipped)}" + (" (table skipped_landing_entries)" if skipped else ""),
        ]
    totals = run_query(
        warehouse,
        """
        SELECT (SELECT count(*) FROM raw_snapshots),
               (SELECT count(*) FROM articles),
               (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL),
               (SELECT count(*) FROM rejected_snapshots),
               (SELECT count(DISTINCT country_key) FROM fact_country_mention),
               (SELECT count(*) FROM fact_country_mention)
        """,
    )
    snapshots, article_count, duplicates, rejected_count, countries, mentions = totals.rows[0]
    top = run_query(
        warehouse,
        "SELECT c.iso2, count(*) AS n FROM fact_country_mention f JOIN dim_country c USING (country_key) "
        "GROUP BY ALL ORDER BY n DESC, c.iso2 LIMIT 8",
    ).rows
    lines += [
        f"in total:     {_count(snapshots, 'snapshot')}, {_count(article_count, 'article')} ({duplicates} "
        f"near-duplicates), {rejected_count} rejected",
        f"countries:    {countries} distinct, {mentions} article-country facts",
    ]
    if top:
        lines.append("top:          " + ", ".join(f"{iso2} {n}" for iso2, n in top))
    return "\n".join(lines)


def _skipped_by_reason(batch) -> dict[str, int]:
    from newsetl import landing_zones

    return landing_zones.by_kind(s.reason for s in batch.skipped)


def _report_failures(result) -> None:
    """The steps and checks that failed, each with the user's error rather than Dagster's wrapper."""
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.event_specific_data.error
            while error is not None and error.cause is not None:
                error = error.cause
            print(f"FAILED {event.step_key}: {error.message.strip() if error else event.message}", file=sys.stderr)
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION" and not event.event_specific_data.passed:
            check = event.event_specific_data
            print(
                f"CHECK FAILED {check.asset_key.to_user_string()}:{check.check_name}: {check.description}",
                file=sys.stderr,
            )


def _draw_reports_after_run(settings: Settings, log_level: str) -> int:
    from newsetl.reports.build import report_folder

    if not settings.warehouse_store().is_local:
        print("reports:      not drawn (an object-store warehouse: newsetl report --out FOLDER)", file=sys.stderr)
        return 0
    result = run_reports(settings, log_level=log_level)
    if not result.success:
        _report_failures(result)
        print(
            "newsetl run: the warehouse is written, but drawing the reports failed (newsetl report to retry).",
            file=sys.stderr,
        )
        return 1
    print(f"reports:      {report_folder(settings.warehouse_store()) / 'index.html'}")
    return 0


def _nothing_new(settings: Settings, store: "Warehouse", reports_wanted: bool, full_listing: bool = False) -> bool:
    """Whether a run would find nothing to do, answered without Dagster: the warehouse is settled for this
    landing zone by this code (newsetl.settled), its catalog (and reports, if wanted) are there, and the
    landing cursor finds no file to read (newsetl.landing_cursor.has_new: the folders changed since its
    watermark, or with `full_listing` every folder). Writes nothing."""
    from newsetl import landing_cursor, settled
    from newsetl.landing_zones import normalize

    landing = normalize(settings.landing)
    if not settled.is_settled(store, landing, reports_wanted):
        return False
    if not Path(store.catalog_path()).exists():
        return False
    if reports_wanted:
        from newsetl.reports.build import report_folder

        if not (report_folder(store) / "index.html").exists():
            return False
    return landing_cursor.has_new(landing, store, full_listing) is False


def cmd_run(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    dagster_home()
    landing, warehouse = settings.landing, settings.warehouse
    print(f"newsetl run: {landing} -> {warehouse}", file=sys.stderr)
    from newsetl.writer_lock import WarehouseBusy, exclusive_writer, inside

    local = "://" not in landing and "://" not in warehouse
    if local and inside(warehouse, landing):
        print(
            f"newsetl run: the warehouse {warehouse} lies inside the landing zone {landing}; "
            "it would ingest its own files. Choose a warehouse outside it.",
            file=sys.stderr,
        )
        return 2
    from newsetl.landing_zones import LandingZoneMismatch, check

    store = settings.warehouse_store()
    try:
        check(store, landing, add_landing=args.add_landing)
    except LandingZoneMismatch as mismatch:
        print(f"newsetl run: {mismatch}", file=sys.stderr)
        return 2
    log_level = "DEBUG" if args.verbose else "CRITICAL"
    try:
        with exclusive_writer(warehouse) if "://" not in warehouse else contextlib.nullcontext():
            reports_wanted = not args.no_reports and store.is_local  # none are drawn for an object-store warehouse
            if not args.reprocess and _nothing_new(settings, store, reports_wanted, args.full_listing):
                print("this run:     nothing new; the warehouse is current (Dagster not started, nothing written)")
                print(_summary(store))
                print(f"warehouse: {warehouse} (catalog {store.catalog_path()})")
                if reports_wanted:
                    from newsetl.reports.build import report_folder

                    print(f"reports:      {report_folder(store) / 'index.html'} (current)")
                return 0
            result = run_pipeline(
                settings,
                progress=sys.stderr.isatty() and not args.quiet,
                log_level=log_level,
                reprocess=args.reprocess,
                reports_follow=not args.no_reports,
                add_landing=args.add_landing,
                full_listing=args.full_listing,
            )
    except WarehouseBusy as busy:
        print(f"newsetl run: {busy}", file=sys.stderr)
        return 3
    except FileNotFoundError as missing:  # listing the landing zone, before any run
        print(f"newsetl run failed: {missing}", file=sys.stderr)
        return 1
    if not result.success:
        _report_failures(result)
        print(
            "newsetl run failed (details: --verbose); tables a step did not finish keep their previous files.",
            file=sys.stderr,
        )
        return 1
    print(_summary(store, result))
    print(f"warehouse: {warehouse} (catalog {store.catalog_path()})")
    drawn = 0 if args.no_reports else _draw_reports_after_run(settings, log_level)
    if not args.no_reports and drawn == 0 and store.is_local:
        from newsetl import settled

        settled.note_reports_drawn(store)
    print("next:         newsetl query --file sql/queries/countries_per_day.sql | newsetl report | newsetl ui")
    return drawn


def _rebuild_after_drop(settings: Settings, dropped, log_level: str):
    import dagster as dg

    from orchestration.definitions import build_definitions
    from orchestration.partitions import rebuild_after_drop
    from orchestration.resources import default_resources

    definitions = build_definitions(default_resources(settings), executor=dg.in_process_executor, settings=settings)
    run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    return rebuild_after_drop(definitions, dg.DagsterInstance.get(), dropped, run_config)


def cmd_drop_batch(args: argparse.Namespace) -> int:
    """Remove one ingest batch under the writer lock, then rebuild what derives from it as the pipeline does."""
    from newsetl.drop_batch import UnknownBatch, drop_batch
    from newsetl.writer_lock import WarehouseBusy, exclusive_writer

    settings = settings_of(args)
    dagster_home()
    warehouse, store = settings.warehouse, settings.warehouse_store()
    log_level = "DEBUG" if args.verbose else "CRITICAL"
    try:
        with exclusive_writer(warehouse) if "://" not in warehouse else contextlib.nullcontext():
            dropped = drop_batch(store, args.batch, settings)
            result = _rebuild_after_drop(settings, dropped, log_level)
    except UnknownBatch as unknown:
        print(f"newsetl drop-batch: {unknown}", file=sys.stderr)
        return 2
    except WarehouseBusy as busy:
        print(f"newsetl drop-batch: {busy}", file=sys.stderr)
        return 3
    rows = ", ".join(f"{table} {n}" for table, n in dropped.rows.items())
    print(f"dropped:      batch {dropped.key} ({rows} rows)")
    if dropped.recleaned:
        print(f"cleaned again: {', '.join(dropped.recleaned)} (they held near-duplicates of its articles)")
    if dropped.forgotten:
        print(f"to read again: {len(dropped.forgotten)} files of later batches whose bytes were already held")
    if not result.success:
        _report_failures(result)
        print(
            "newsetl drop-batch: the batch is gone, but rebuilding the gold tables and the catalog failed; "
            "newsetl run finishes it.",
            file=sys.stderr,
        )
        return 1
    print(_summary(store))
    print("next:         newsetl run ingests the batch's files again, if they are still in the landing zone")
    return 0 if args.no_reports else _draw_reports_after_run(settings, log_level)


UI_STOP_GRACE_SECONDS = 15  # dagster dev's own shutdown of its webserver, daemon and code servers


class _StopRequested(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_stop(signum: int, _frame: object) -> None:
    raise _StopRequested(signum)


def _live_group_members(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a member that changed user is still a member
        return True
    return True


def stop_process_group(process: subprocess.Popen, grace_seconds: float) -> None:
    """SIGTERM to the whole group, so dagster dev shuts its children down itself; SIGKILL to
    whatever is left after the grace time (a code server whose parent was killed, say)."""
    group = process.pid  # start_new_session: the leader's pid is the group id
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + grace_seconds
        while time.monotonic() < deadline:
            process.poll()  # reaps the leader, our child, which would otherwise stay a member as a zombie
            if process.returncode is not None and not _live_group_members(group):
                return
            time.sleep(0.2)
    process.wait()


def cmd_ui(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    home = dagster_home()
    # dagster dev loads the definitions in processes of its own: they read the settings from their environment.
    env = child_environ(settings, DAGSTER_HOME=str(home), DAGSTER_DISABLE_TELEMETRY="1")
    # No -m: from the project root dagster reads [tool.dagster], so the UI names the code location "newsetl".
    command = [sys.executable, "-m", "dagster", "dev", "-h", args.host, "-p", str(args.port)]
    print(f"Dagster UI on http://{args.host}:{args.port}", file=sys.stderr)
    print(f"DAGSTER_HOME={home} (run history, schedules and sensor state live here)", file=sys.stderr)
    previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    process = None
    try:
        # Its own process group, so that one signal reaches dagster dev and everything it starts,
        # and none of them outlives `newsetl ui`, however it is stopped.
        process = subprocess.Popen(command, cwd=config.PROJECT_ROOT, env=env, start_new_session=True)
        return process.wait()
    except _StopRequested as stop:
        print(f"newsetl ui: {stop}, stopping the Dagster UI and its processes", file=sys.stderr)
        return 128 + stop.signum
    finally:
        # A second Ctrl-C must not cut the shutdown short: the grace time bounds it anyway.
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        if process is not None:
            stop_process_group(process, UI_STOP_GRACE_SECONDS)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _print_table(columns: list[str], chunks, max_rows: int) -> None:
    """At most max_rows rows in a table; the rest are counted, not kept, so the note can say how many."""
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, show_lines=False)
    total = 0
    for chunk in chunks:
        for row in chunk[: max(0, max_rows - total)]:
            table.add_row(*("NULL" if v is None else str(v) for v in row))
        total += len(chunk)
    Console(width=max(120, Console().width)).print(table)
    shown = min(total, max_rows)
    print(
        f"({total} rows)" if shown == total else f"({shown} of {total} rows shown; --max-rows or --format csv for all)"
    )


def _json_default(value: object) -> str:
    return str(value)


def _write_csv(columns: list[str], chunks) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(columns)
    for chunk in chunks:
        writer.writerows(chunk)


def _write_json(columns: list[str], chunks) -> None:
    """One JSON array of objects, written a chunk at a time."""
    separator = "[\n"
    for chunk in chunks:
        for row in chunk:
            sys.stdout.write(
                separator + json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, default=_json_default)
            )
            separator = ",\n"
    sys.stdout.write("[]\n" if separator == "[\n" else "\n]\n")


QUERY_EPILOG = """\
Only reads run: SELECT, VALUES, WITH, SHOW, DESCRIBE, SUMMARIZE and EXPLAIN [ANALYZE] of a read.
Any other statement (COPY, CREATE, INSERT, ATTACH, SET, PRAGMA, CALL, ...) is refused before
anything runs, as is a read of a file outside the warehouse. With several statements separated by
";" each one runs in turn and its result is printed after a header line "-- statement N: SQL".
The SQL runs in a child process that Linux Landlock keeps from changing any file (a warning says
so where the kernel has no Landlock).
Exit codes: 0 answered, 1 SQL error, 2 refused or bad arguments, 3 timed out.
"""


def _read_sql(args: argparse.Namespace) -> str | None:
    if args.file:
        try:
            return Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(
                f"newsetl query: cannot read --file {args.file}: {getattr(exc, 'strerror', None) or exc}",
                file=sys.stderr,
            )
            return None
    if args.sql:
        return args.sql
    print("newsetl query: give SQL or --file PATH", file=sys.stderr)
    return None


# How long past --timeout the sealed child may take to stop by itself before it is killed.
QUERY_KILL_GRACE_SECONDS = 5.0
_NO_SANDBOX_WARNING = (
    "newsetl query: warning: this kernel offers no Linux Landlock, so the query runs in this process, "
    "kept read-only by the statement check and a read-only connection only"
)


def cmd_query(args: argparse.Namespace) -> int:
    from newsetl import sandbox
    from newsetl.query import QueryRefused, check_statements

    settings = settings_of(args)
    sql = _read_sql(args)
    if sql is None:
        return 2
    if sandbox.abi() < 1:
        print(_NO_SANDBOX_WARNING, file=sys.stderr)
        return _answer(args, sql, settings.warehouse_store())
    try:
        check_statements(sql)  # refused here without starting a process; the child checks again
    except QueryRefused as exc:
        print(f"newsetl query: {exc}", file=sys.stderr)
        return 2
    return _answer_in_sealed_child(args, sql, settings)


def _answer_in_sealed_child(args: argparse.Namespace, sql: str, settings: Settings) -> int:
    """The query in a child process that cannot write (newsetl/sandbox.py); its output is ours."""
    import tempfile

    from newsetl import sandbox

    code_root = str(Path(__file__).resolve().parents[1])  # the child runs this very code, wherever it is
    with tempfile.TemporaryDirectory(prefix="newsetl-query-") as spill:
        command = [
            sys.executable, "-m", "orchestration.sealed_query", spill, settings.warehouse,
            "--format", args.format, "--max-rows", str(args.max_rows), "--timeout", str(args.timeout),
        ]  # fmt: skip
        env = child_environ(
            settings,
            PYTHONPATH=os.pathsep.join(filter(None, [code_root, os.environ.get("PYTHONPATH")])),
            PYTHONDONTWRITEBYTECODE="1",
            TMPDIR=spill,
        )
        kill_after = args.timeout + QUERY_KILL_GRACE_SECONDS if args.timeout > 0 else None
        code = sandbox.run_child(command, sql.encode("utf-8"), kill_after=kill_after, env=env)
    if code is None:
        print(
            f"newsetl query: the query ran longer than {args.timeout:g} s and was stopped (raise it with --timeout)",
            file=sys.stderr,
        )
        return 3
    return code


def _answer(args: argparse.Namespace, sql: str, warehouse: "Warehouse", spill_dir: str | None = None) -> int:
    """Run the SQL on the warehouse and print each statement's result in args.format; the exit code of
    `newsetl query`."""
    from newsetl.query import CatalogMissing, QueryRefused, QueryTimeout, stream_query

    timeout = args.timeout if args.timeout > 0 else None
    try:
        several = _several_statements(sql)
        for number, result in enumerate(stream_query(warehouse, sql, timeout=timeout, spill_dir=spill_dir), start=1):
            if several:
                print(f"-- statement {number}: {' '.join(result.sql.split()).rstrip(';')}")
            if args.format == "csv":
                _write_csv(result.columns, result.chunks)
            elif args.format == "json":
                _write_json(result.columns, result.chunks)
            else:
                _print_table(result.columns, result.chunks, args.max_rows)
            sys.stdout.flush()
    except (QueryRefused, CatalogMissing) as exc:
        print(f"newsetl query: {exc}", file=sys.stderr)
        return 2
    except QueryTimeout as exc:
        print(f"newsetl query: {exc}", file=sys.stderr)
        return 3
    except Exception as exc:  # a SQL error is the user's to fix: say it plainly
        print(f"newsetl query: {type(exc).__name__}: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    return 0


def _several_statements(sql: str) -> bool:
    import duckdb

    try:
        return len(duckdb.extract_statements(sql)) > 1
    except duckdb.Error:
        return False


def cmd_eval(args: argparse.Namespace) -> int:
    from newsetl.evaluation import format_report
    from orchestration.evaluate import evaluate_landing

    report = evaluate_landing(
        Path(args.gold), Path(args.landing), keep_warehouse=args.keep, settings=from_environment()
    )
    print(format_report(report))
    if "[html]" in report["groups"]:
        from orchestration.eval_gate import side_by_side
        from orchestration.evaluate import evaluate_trafilatura

        anchor = evaluate_trafilatura(Path(args.gold), Path(args.landing))
        print(side_by_side(report["groups"]["[html]"], anchor["groups"]["overall"]))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsetl", description="Raw news snapshots to a star-schema warehouse of country mentions."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="materialize every asset for NEWSETL_LANDING into NEWSETL_WAREHOUSE")
    run.add_argument("--landing", help="landing zone (default: $NEWSETL_LANDING or the bundled samples)")
    run.add_argument("--warehouse", help="warehouse root (default: $NEWSETL_WAREHOUSE or <project>/warehouse)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument("--verbose", action="store_true", help="show every Dagster event")
    run.add_argument(
        "--reprocess", action="store_true", help="clean every ingest batch again (after upgrading newsetl)"
    )
    run.add_argument(
        "--full-listing",
        action="store_true",
        help="look at every landing file even when the warehouse is settled (finds files rewritten in place "
        "inside folders unchanged since the last run)",
    )
    run.add_argument("--no-reports", action="store_true", help="do not draw the report charts after a successful run")
    run.add_argument(
        "--add-landing",
        action="store_true",
        help="let a warehouse filled from other landing zones take in this one too (otherwise the run is refused)",
    )
    run.set_defaults(func=cmd_run)

    drop = commands.add_parser(
        "drop-batch", help="remove one ingest batch from the warehouse; its files are ingested again by the next run"
    )
    drop.add_argument("batch", help="the batch key, as in raw_snapshots.ingest_batch (e.g. 20240619T154521-1a2b3c4d5e)")
    drop.add_argument("--warehouse", help="warehouse root (default: $NEWSETL_WAREHOUSE or <project>/warehouse)")
    drop.add_argument("--verbose", action="store_true", help="show every Dagster event")
    drop.add_argument("--no-reports", action="store_true", help="do not draw the report charts again afterwards")
    drop.set_defaults(func=cmd_drop_batch)

    ui = commands.add_parser("ui", help="the Dagster UI on 127.0.0.1 with a persistent DAGSTER_HOME")
    ui.add_argument(
        "--host", default="127.0.0.1", help="address the UI listens on (default: 127.0.0.1, this machine only)"
    )
    ui.add_argument("--port", type=int, default=3000, help="port the UI listens on (default: 3000)")
    ui.add_argument(
        "--landing", help="landing zone the sensor watches (default: $NEWSETL_LANDING or the bundled samples)"
    )
    ui.add_argument(
        "--warehouse", help="warehouse root the runs write to (default: $NEWSETL_WAREHOUSE or <project>/warehouse)"
    )
    ui.set_defaults(func=cmd_ui)

    query = commands.add_parser(
        "query",
        help="read-only SQL on the warehouse",
        epilog=QUERY_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    query.add_argument("sql", nargs="?", help="the SQL to run (one or more statements separated by ';')")
    query.add_argument("--file", help="a .sql file to run instead of the SQL argument")
    query.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="output format; csv and json stream every row (default: table)",
    )
    query.add_argument(
        "--max-rows",
        type=int,
        default=1000,
        help="rows shown by the table format; the rest are counted (default: 1000)",
    )
    query.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="stop the query after this many seconds, 0 for no limit (default: 60)",
    )
    query.add_argument("--warehouse", help="warehouse root (default: $NEWSETL_WAREHOUSE or <project>/warehouse)")
    query.set_defaults(func=cmd_query)

    evaluate = commands.add_parser("eval", help="run the pipeline on a labelled landing zone and print quality figures")
    evaluate.add_argument("--gold", required=True, help="gold.jsonl")
    evaluate.add_argument("--landing", required=True, help="the raw/ folder the gold describes")
    evaluate.add_argument("--json", help="also write the figures to this JSON file")
    evaluate.add_argument("--keep", help="keep the evaluation warehouse in this folder")
    evaluate.set_defaults(func=cmd_eval)

    add_report_parser(commands)
    add_bench_parser(commands)
    add_eval_gate_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
