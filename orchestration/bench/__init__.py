"""Throughput and memory benchmark: a synthetic landing zone, the pipeline end to end, its stages
and anchors (see runner.run_bench; `newsetl bench` on the command line)."""
