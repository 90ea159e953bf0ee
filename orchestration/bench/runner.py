"""`newsetl bench`: a synthetic landing zone, the pipeline end to end at each size, each stage alone,
the anchors on the same input, the ratios and the scaling fit, printed and written as JSON."""

import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from orchestration.bench import stages as stage_bench
from orchestration.bench.corpus import DEFAULT_SEED, link_prefix, write_landing

# The targets on a 2-core machine.
TARGETS = {
    "snapshots_per_s": 2000,
    "x_floor": 5.0,
    "seconds_at_100k": 60.0,
    "peak_rss_mb_at_100k": 2048.0,
    "nothing_new_seconds": 5.0,
    "growth_exponent": 1.1,
    "countries_ms_per_8kb": 0.3,
}
_RSS_POLL_SECONDS = 0.1


@dataclass
class BenchOptions:
    sizes: list[int]
    seed: int = DEFAULT_SEED
    html_share: float = 0.2
    stage_sample: int = 2000
    keep: str | None = None
    anchors: bool = True
    command: str = ""
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)


class _TreePeak:
    """Peaks of the summed RSS and the summed PSS of a process and its descendants, sampled every 0.1 s.

    Pool workers share pages with their parent after fork: the RSS sum counts those pages once per
    process (an upper bound), PSS splits them among the sharers (what the run really occupies).
    """

    def __init__(self, pid: int) -> None:
        self.peak_mb = 0.0
        self.peak_pss_mb = 0.0
        self._pid = pid
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        import psutil

        try:
            root = psutil.Process(self._pid)
        except psutil.NoSuchProcess:
            return
        while not self._done.is_set():
            total = shared_total = 0
            try:
                for process in [root, *root.children(recursive=True)]:
                    try:
                        memory = process.memory_full_info()
                        total += memory.rss
                        shared_total += getattr(memory, "pss", memory.rss)
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        pass
            except psutil.NoSuchProcess:
                return
            self.peak_mb = max(self.peak_mb, total / 2**20)
            self.peak_pss_mb = max(self.peak_pss_mb, shared_total / 2**20)
            self._done.wait(_RSS_POLL_SECONDS)

    def stop(self) -> tuple[float, float]:
        self._done.set()
        self._thread.join()
        return round(self.peak_mb, 1), round(self.peak_pss_mb, 1)


def end_to_end(landing: str, warehouse: str) -> dict:
    """The pipeline twice (all new, then nothing new) in a child process; its figures and peak memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "orchestration.bench.endtoend", landing, warehouse],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONWARNINGS="ignore"),
    )
    peak = _TreePeak(child.pid)
    stdout, stderr = child.communicate()
    tree_peak, tree_pss_peak = peak.stop()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode != 0:
        raise RuntimeError(f"end-to-end child failed ({child.returncode}): {stderr[-2000:]}")
    figures = json.loads(stdout.strip().splitlines()[-1])
    figures["process_wall_seconds"] = round(wall, 3)
    # CPU of the child and its pool workers: on a shared machine, wall time alone says little.
    figures["cpu_seconds"] = round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 3)
    figures["peak_rss_mb"]["process_tree_sampled"] = tree_peak
    figures["peak_rss_mb"]["process_tree_pss_sampled"] = tree_pss_peak
    return figures


def _fit_exponent(points: list[tuple[float, float]]) -> float | None:
    """Slope of log(y) against log(x) by least squares: y ~ x**slope."""
    points = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return round(sum((x - mean_x) * (y - mean_y) for x, y in points) / spread, 3) if spread else None


def _size_entry(count: int, corpus_bytes: int, figures: dict) -> dict:
    first, nothing_new = figures["runs"]
    seconds = first["seconds"]
    return {
        "n": count,
        "corpus_mb": round(corpus_bytes / 1e6, 2),
        "seconds": seconds,
        "snapshots_per_s": round(count / seconds, 1),
        "mb_per_s": round(corpus_bytes / 1e6 / seconds, 2),
        "cpu_seconds_both_runs": figures["cpu_seconds"],
        "nothing_new_seconds": nothing_new["seconds"],
        "peak_rss_mb": figures["peak_rss_mb"],
        "success": first["success"] and nothing_new["success"],
        "failures": first["failures"] + nothing_new["failures"],
        "steps": first["steps"],
        "nothing_new_steps": nothing_new["steps"],
        "rows": figures["rows"],
        "import_seconds": figures["import_seconds"],
    }


def run_bench(options: BenchOptions, say=print) -> dict:
    sizes = sorted(set(options.sizes))
    scratch = Path(options.keep) if options.keep else Path(tempfile.mkdtemp(prefix="newsetl-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    report: dict = {
        "command": options.command,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "seed": options.seed,
        "html_share": options.html_share,
        "targets": TARGETS,
    }
    try:
        pool = scratch / f"landing-{sizes[-1]}"
        if pool.exists():
            shutil.rmtree(pool)
        started = time.perf_counter()
        corpus = write_landing(pool, sizes[-1], options.seed, options.html_share, workers=options.workers)
        say(
            f"corpus: {corpus.snapshots} snapshots, {corpus.bytes_on_disk / 1e6:.1f} MB on disk "
            f"({corpus.bytes_on_disk / corpus.snapshots / 1000:.1f} KB each) in {time.perf_counter() - started:.1f} s"
        )
        report["corpus"] = asdict(corpus)

        report["end_to_end"] = []
        for count in sizes:
            landing = pool if count == sizes[-1] else scratch / f"landing-{count}"
            summary = corpus if count == sizes[-1] else link_prefix(pool, landing, count)
            warehouse = scratch / f"warehouse-{count}"
            if warehouse.exists():
                shutil.rmtree(warehouse)
            entry = _size_entry(count, summary.bytes_on_disk, end_to_end(str(landing), str(warehouse)))
            report["end_to_end"].append(entry)
            say(_end_to_end_line(entry))

        say(f"stages: a sample of {options.stage_sample} snapshots, one process")
        files = stage_bench.sample_files(pool, options.stage_sample)
        catalog_root = str(scratch / f"warehouse-{sizes[-1]}")
        stages, data = stage_bench.measure_stages(files, catalog_root)
        report["stages"] = stages
        report["countries_automata"] = stage_bench.automata_memory()
        say(_automata_line(stages["countries"], report["countries_automata"]))
        if options.anchors:
            report["anchors"] = {
                "floor": stage_bench.floor(files),
                "extraction": stage_bench.trafilatura_anchor(files, options.seed),
                "countries": stage_bench.naive_regex_anchor(data["articles"]),
                "dates": stage_bench.dateparser_anchor(data["texts"], data["snapshots"]),
            }
        report["ratios"] = ratios(report)
        report["scaling"] = scaling(report["end_to_end"])
        report["verdict"] = verdict(report)
        return report
    finally:
        if not options.keep:
            shutil.rmtree(scratch, ignore_errors=True)


def _ms(figures: dict) -> float:
    return figures["ms_per_item"]


def ratios(report: dict) -> dict:
    """ours / anchor, in time per snapshot (below 1: we are faster)."""
    out: dict[str, float | None] = {}
    largest = report["end_to_end"][-1]
    end_to_end_ms = largest["seconds"] / largest["n"] * 1000
    anchors = report.get("anchors")
    if not anchors:
        return out
    out["end_to_end_vs_floor"] = round(end_to_end_ms / _ms(anchors["floor"]), 2)
    stages = report["stages"]
    per_snapshot_cpu = sum(_ms(stages[name]) for name in ("decode_and_parse", "clean", "countries", "minhash"))
    out["one_core_stages_vs_floor"] = round(per_snapshot_cpu / _ms(anchors["floor"]), 2)
    extraction = anchors["extraction"]
    out["clean_text_form_vs_trafilatura_html"] = round(
        _ms(extraction["ours_text_form"]) / _ms(extraction["trafilatura_html"]), 3
    )
    out["clean_html_form_vs_trafilatura_html"] = round(
        _ms(extraction["ours_html_form"]) / _ms(extraction["trafilatura_html"]), 3
    )
    out["countries_vs_naive_regex"] = round(
        _ms(anchors["countries"]["ours"]) / _ms(anchors["countries"]["naive_regex"]), 5
    )
    out["dates_vs_dateparser"] = round(
        _ms(anchors["dates"]["ours_find_dates"]) / _ms(anchors["dates"]["dateparser_search_dates"]), 4
    )
    return out


def scaling(entries: list[dict]) -> dict:
    """Growth exponents over all sizes, and between neighbouring sizes (where a curve bends shows there);
    the CPU-seconds exponent is the one other load on a shared machine disturbs least."""
    pairs = list(zip(entries, entries[1:], strict=False))
    return {
        "n": [e["n"] for e in entries],
        "seconds": [e["seconds"] for e in entries],
        "cpu_seconds_both_runs": [e["cpu_seconds_both_runs"] for e in entries],
        "peak_rss_mb": [e["peak_rss_mb"]["process_tree_sampled"] for e in entries],
        "peak_pss_mb": [e["peak_rss_mb"]["process_tree_pss_sampled"] for e in entries],
        "time_exponent": _fit_exponent([(e["n"], e["seconds"]) for e in entries]),
        "time_exponent_between_sizes": [
            _fit_exponent([(a["n"], a["seconds"]), (b["n"], b["seconds"])]) for a, b in pairs
        ],
        "cpu_exponent": _fit_exponent([(e["n"], e["cpu_seconds_both_runs"]) for e in entries]),
        "memory_exponent": _fit_exponent([(e["n"], e["peak_rss_mb"]["process_tree_pss_sampled"]) for e in entries]),
    }


def verdict(report: dict) -> dict:
    """Each target: the measured value and whether it is met (None where the run did not measure it)."""
    entries = {e["n"]: e for e in report["end_to_end"]}
    largest = report["end_to_end"][-1]
    at_100k = entries.get(100_000)
    values = {
        "snapshots_per_s": largest["snapshots_per_s"],
        "x_floor": report.get("ratios", {}).get("end_to_end_vs_floor"),
        "seconds_at_100k": at_100k["seconds"] if at_100k else None,
        "peak_rss_mb_at_100k": at_100k["peak_rss_mb"]["process_tree_pss_sampled"] if at_100k else None,
        "nothing_new_seconds": max(e["nothing_new_seconds"] for e in report["end_to_end"]),
        "growth_exponent": report["scaling"]["time_exponent"],
        "countries_ms_per_8kb": report.get("stages", {}).get("countries", {}).get("ms_per_8kb"),
    }
    higher_is_better = {"snapshots_per_s"}
    out = {}
    for name, value in values.items():
        goal = TARGETS[name]
        met = None if value is None else (value >= goal if name in higher_is_better else value <= goal)
        out[name] = {"value": value, "target": goal, "met": met}
    return out


def _automata_line(countries: dict, automata: dict) -> str:
    return (
        f"countries: {countries.get('ms_per_8kb')} ms per 8 KB article on one core "
        f"({countries.get('cpu_ms_per_8kb')} ms CPU); automata and their forms "
        f"{automata['automata_mb']} MB per worker for {automata['languages']} languages (bench languages "
        f"{automata['bench_languages_mb']} MB) + name tables {automata['name_tables_mb']} MB"
    )


def _end_to_end_line(entry: dict) -> str:
    rss = entry["peak_rss_mb"]
    return (
        f"end to end n={entry['n']:>7}: {entry['seconds']:8.2f} s  {entry['snapshots_per_s']:8.1f} snapshots/s  "
        f"{entry['mb_per_s']:6.2f} MB/s  peak PSS {rss['process_tree_pss_sampled']:.0f} MB (tree; RSS sum "
        f"{rss['process_tree_sampled']:.0f}, "
        f"main {rss['main_process']:.0f}, largest worker {rss['largest_worker']:.0f})  "
        f"nothing new {entry['nothing_new_seconds']:.2f} s  cpu {entry['cpu_seconds_both_runs']:.1f} s"
        + ("" if entry["success"] else f"  FAILED: {entry['failures'][:3]}")
    )


def format_report(report: dict) -> str:
    lines = [
        f"machine: {report['machine']['cpus']} cpus, python {report['machine']['python']}, load at start "
        f"{report['machine']['load_average_at_start']}"
    ]
    lines += [_end_to_end_line(e) for e in report["end_to_end"]]
    lines.append("stages (one process, per snapshot):")
    for name, figures in report.get("stages", {}).items():
        rate = f"{figures['items_per_s']:>9.1f}/s" if figures["items_per_s"] else ""
        lines.append(f"  {name:<18} {figures['ms_per_item']:>9.3f} ms  {rate}  ({figures['items']} items)")
    if report.get("countries_automata"):
        lines.append(_automata_line(report["stages"]["countries"], report["countries_automata"]))
    anchors = report.get("anchors", {})
    if anchors:
        lines.append("anchors (same input):")
        lines.append(
            f"  floor (read+utf8+1 AC pass)   {anchors['floor']['ms_per_item']:.3f} ms/snapshot  "
            f"{anchors['floor']['items_per_s']:.0f}/s"
        )
        for group in ("extraction", "countries", "dates"):
            for name, figures in anchors[group].items():
                lines.append(f"  {group}:{name:<28} {figures['ms_per_item']:>10.3f} ms  ({figures['items']} items)")
    if report.get("ratios"):
        lines.append(
            "ratios ours/anchor (time per snapshot): " + ", ".join(f"{k} {v}" for k, v in report["ratios"].items())
        )
    scale = report["scaling"]
    lines.append(
        f"scaling: n={scale['n']} seconds={scale['seconds']} cpu seconds={scale['cpu_seconds_both_runs']} "
        f"peak PSS MB={scale['peak_pss_mb']} (RSS sum {scale['peak_rss_mb']})"
    )
    lines.append(
        f"  time exponent {scale['time_exponent']} (between sizes {scale['time_exponent_between_sizes']}), "
        f"cpu exponent {scale['cpu_exponent']}, memory exponent {scale['memory_exponent']}"
    )
    lines.append(
        "targets: "
        + "; ".join(
            f"{k} {v['value']} (target {v['target']}: "
            f"{'met' if v['met'] else 'MISSED' if v['met'] is False else 'n/a'})"
            for k, v in report["verdict"].items()
        )
    )
    return "\n".join(lines)
