"""The Dagster UI and the HTML report in a real browser: Debian's Chromium driven by Playwright.

`newsetl ui` is started on a free port against a synthetic warehouse, with a fresh DAGSTER_HOME,
and always stopped (its whole process group). Screenshots go to $NEWSETL_TEST_ARTIFACTS, default
build/test-artifacts/browser/, for CI to keep. Skipped only when no Chromium binary exists; CI
installs it with scripts/ci-browser-deps.sh, so there the test runs.
"""

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from newsetl import config
from newsetl.reports import REPORTS, ReportOptions, build_reports, report_folder
from newsetl.reports.synthetic import SyntheticSpec, write_synthetic_warehouse
from newsetl.storage import Warehouse
from orchestration.cli import stop_process_group
from tests.reports.ui_process import free_port, live_members, start_ui, wait_for_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Without the background-networking flags Chromium waits on refused connections in a sandbox.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE_SECONDS = 60
ARTIFACTS = (
    Path(os.environ.get("NEWSETL_TEST_ARTIFACTS") or config.PROJECT_ROOT / "build" / "test-artifacts") / "browser"
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="no chromium binary on PATH: run scripts/ci-browser-deps.sh (Debian package chromium)"
    ),
]

if CHROMIUM is not None:  # the import is only needed (and must work) where the test runs
    from playwright.sync_api import BrowserContext, Page, expect, sync_playwright


def _stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to the UI's process group, SIGKILL if it lingers. `newsetl ui` stops the group of
    dagster dev (webserver, daemon, code servers) itself, within its grace times."""
    stop_process_group(process, grace_seconds=40)
    survivors = live_members(process.pid)
    assert not survivors, f"`newsetl ui` processes {survivors} survived SIGKILL"


@pytest.fixture(scope="module")
def definitions() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs


@pytest.fixture(scope="module")
def browser_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser-warehouse")
    warehouse = write_synthetic_warehouse(root, SyntheticSpec(articles=1_000))
    for lang in ("en", "zh"):
        build_reports(warehouse, ReportOptions(lang=lang))
    return root


@pytest.fixture(scope="module")
def dagster_home(tmp_path_factory: pytest.TempPathFactory, browser_warehouse: Path) -> Path:
    """A fresh instance with the report assets materialized into it, so the UI has chart images to show."""
    from assets.reports import reports
    from orchestration.resources import PipelineSettings, WarehouseStore

    home = tmp_path_factory.mktemp("dagster-home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        result = dg.materialize(
            [reports],
            instance=instance,
            resources={"warehouse": WarehouseStore(settings=PipelineSettings(warehouse=str(browser_warehouse)))},
        )
        assert result.success
    finally:
        instance.dispose()
    return home


@pytest.fixture(scope="module")
def ui_url(browser_warehouse: Path, dagster_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("ui-log") / "newsetl-ui.log"
    process = start_ui(port, browser_warehouse, dagster_home, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, process, log)
        yield url
    finally:
        _stop_group(process)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(log, ARTIFACTS / log.name)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator["BrowserContext"]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        context.set_default_timeout(PAGE_SECONDS * 1000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: "BrowserContext", request: pytest.FixtureRequest) -> Iterator["Page"]:
    """A tab whose last state is saved as a screenshot named after the test, pass or fail."""
    tab = browser.new_page()
    try:
        yield tab
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(
            path=str(ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', request.node.name)}.png"), full_page=True
        )
        tab.close()


def _open_ui(page: "Page", url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    # A first visit may greet with a newsletter dialog that covers the page.
    skip = page.get_by_role("button", name="Skip")
    try:
        skip.click(timeout=8_000)
    except Exception:  # noqa: BLE001 - no dialog is the normal case on later visits
        pass


def test_ui_lists_every_asset_of_the_definitions(ui_url, page, definitions):
    keys = sorted(key.to_user_string() for key in definitions.resolve_asset_graph().get_all_asset_keys())
    assert {"raw_snapshots", "articles", "fact_country_mention", "warehouse_catalog"} <= set(keys)
    _open_ui(page, f"{ui_url}/assets")
    for key in keys:
        expect(page.locator(f'a[href="/assets/{key}"]').first).to_be_visible()


def test_ui_draws_the_asset_graph(ui_url, page, definitions):
    graph = definitions.resolve_asset_graph()
    groups = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
    _open_ui(page, f"{ui_url}/asset-groups")
    expect(page.get_by_text("Global asset lineage")).to_be_visible()
    for group in sorted(groups):
        expect(page.get_by_text(group, exact=True).first).to_be_visible()
    # One asset's lineage: the fact table's node and its parents' nodes, drawn as a graph.
    fact = dg.AssetKey("fact_country_mention")
    parents = sorted(key.to_user_string() for key in graph.get(fact).parent_keys)
    assert "articles" in parents
    page.goto(f"{ui_url}/assets/fact_country_mention?view=lineage", wait_until="domcontentloaded")
    canvas = page.locator("[data-testid='asset-graph'], svg").first
    expect(canvas).to_be_attached()
    for name in [fact.to_user_string(), *parents]:
        expect(page.get_by_text(name, exact=True).first).to_be_visible()


def test_ui_shows_the_checks_of_the_facts(ui_url, page, definitions):
    checks = sorted(
        key.name
        for key in definitions.resolve_asset_graph().asset_check_keys
        if key.asset_key == dg.AssetKey("fact_country_mention")
    )
    assert "unique_key" in checks
    _open_ui(page, f"{ui_url}/assets/fact_country_mention?view=checks")
    expect(page.get_by_text(f"Checks ({len(checks)})")).to_be_visible()
    for check in checks:
        expect(page.get_by_text(check, exact=True).first).to_be_visible()


@pytest.mark.parametrize("lang, country_label", [("en", "United States"), ("zh", "美国")], ids=["en", "zh"])
def test_html_report_renders_every_chart_offline(page, browser_warehouse, lang, country_label):
    fetched: list[str] = []
    console_errors: list[str] = []

    def refuse_network(route) -> None:
        # The page must not fetch anything when viewed: any request beyond the file fails the test.
        if not route.request.url.startswith("file://"):
            fetched.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", refuse_network)
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    page.goto((report_folder(Warehouse(str(browser_warehouse)), lang) / "index.html").as_uri(), wait_until="load")
    expect(page.locator("[data-chart][data-rendered='true']")).to_have_count(len(REPORTS), timeout=30_000)
    for name in REPORTS:
        chart = page.locator(f"[data-chart='{name}']")
        expect(chart.locator("svg.marks")).to_have_count(1)
        # Marks drawn from data, not an empty frame.
        assert chart.locator("svg g.mark-rect path, svg g.mark-line path, svg g.mark-symbol path").count() > 0, name
    expect(page.locator(".chart-error")).to_have_count(0)
    # Country names in the asked language, drawn as text in the charts.
    expect(
        page.locator("[data-chart='country_mentions_over_time'] svg text", has_text=country_label).first
    ).to_be_visible()
    assert fetched == []
    assert console_errors == []


def test_ui_shows_a_chart_image_in_the_report_metadata(ui_url, page, definitions):
    # The real definitions the UI serves hold the report assets (materialized in dagster_home).
    assert dg.AssetKey("report_country_co_mentions") in definitions.resolve_asset_graph().get_all_asset_keys()
    _open_ui(page, f"{ui_url}/assets/report_country_co_mentions")
    page.get_by_text("Show Markdown").first.click()
    image = page.locator("img[src^='data:image/png']").first
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
