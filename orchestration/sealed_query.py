"""The child process of `newsetl query`: gives up every write (newsetl/sandbox.py), then answers the
SQL it reads on stdin exactly as `newsetl query` would, on the stdout and stderr it inherited.

`python -m orchestration.sealed_query SPILL_DIR WAREHOUSE [--format F] [--max-rows N] [--timeout S]`;
not for people: `newsetl query` starts it (orchestration/cli.py). A module of its own, so that the
child imports no more than a query needs (the full `newsetl` parser loads the report code).
"""

import argparse
import gc
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsetl query (sealed child)")
    parser.add_argument("spill_dir", help="the one folder this process may write: DuckDB's spill space")
    parser.add_argument("warehouse", help="the warehouse root")
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")
    parser.add_argument("--max-rows", type=int, default=1000, help="rows shown by the table format")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds, 0 for no limit")
    args = parser.parse_args(argv)

    from dataclasses import replace

    from newsetl.query import seal_this_process
    from newsetl.sandbox import SandboxUnavailable
    from orchestration.settings import from_environment

    # The parent gave this process its settings as its environment (orchestration.settings.child_environ).
    warehouse = replace(from_environment(), warehouse=args.warehouse).warehouse_store()
    try:
        seal_this_process(warehouse, args.spill_dir)  # before DuckDB starts a thread
    except (SandboxUnavailable, OSError) as exc:  # never run the SQL unsealed behind the parent's back
        print(f"newsetl query: could not seal the query process, nothing ran: {exc}", file=sys.stderr)
        return 2
    from orchestration.cli import _answer

    try:
        return _answer(args, sys.stdin.buffer.read().decode("utf-8"), warehouse, spill_dir=args.spill_dir)
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the parent reports it
        return 130
    finally:
        # DuckDB's binding (nanobind) prints some forty lines of "leaked instances" at exit when a refused
        # query's exception and traceback still hold its objects in a reference cycle the collector has not
        # reached yet (seen under load in tests/test_catalog.py); collected here, the user's stderr stays the
        # one line that says why the query was refused.
        gc.collect()


if __name__ == "__main__":
    sys.exit(main())
