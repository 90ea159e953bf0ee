"""Report files: PNGs, specs and one self-contained page, for English, Chinese and awkward data."""

import json
import re
import struct
from pathlib import Path

import pytest

from newsetl.query import CatalogMissing, run_query
from newsetl.reports import REPORTS, ReportOptions, build_reports, report_folder
from newsetl.reports.page import PageChart, render_page
from newsetl.storage import Warehouse

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE), f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_every_chart_is_written_as_png_and_spec_under_reports(tiny_warehouse):
    built = build_reports(tiny_warehouse)
    assert built.folder == Path(tiny_warehouse.root) / "reports"
    assert [w.chart.name for w in built.charts] == list(REPORTS)
    for written in built.charts:
        width, height = _png_size(written.png)
        assert width >= 400 and height >= 150
        stored = json.loads(written.spec_file.read_text(encoding="utf-8"))
        assert stored["title"] == written.chart.title
        assert stored["spec"]["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert not list(built.folder.glob(".*.tmp")), "temporary files are renamed into place"


def _colour_domain(spec: dict) -> list[str]:
    encoding = spec["encoding"] if "encoding" in spec else spec["layer"][0]["encoding"]
    return encoding["color"]["scale"]["domain"]


def test_the_page_is_self_contained(tiny_warehouse):
    page = build_reports(tiny_warehouse).page.read_text(encoding="utf-8")
    # Nothing may be fetched at view time: no external scripts, styles, frames or images in the
    # markup (the browser test checks the same at run time, with the network cut off).
    markup = re.sub(r"<script>.*?</script>", "<script></script>", page, flags=re.DOTALL)
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", markup, flags=re.IGNORECASE)
    assert "window.vegaEmbed" in page  # the inlined bundle
    for name in REPORTS:
        assert f'data-chart="{name}"' in page
    specs = json.loads(re.search(r"const specs = (\{.*?\});\n", page, flags=re.DOTALL).group(1))
    assert set(specs) == set(REPORTS)


def test_a_page_survives_script_breaking_text_in_the_data():
    hostile = PageChart("c", "</script><b>x", {"data": {"values": [{"country": "</script><script>alert(1)</script>"}]}})
    page = render_page([hostile], "Report", {"articles": 1}, "en")
    assert page.count("</script>") == 2  # the bundle's and the specs' closing tags only
    assert "&lt;/script&gt;&lt;b&gt;x" in page


def test_chinese_reports_go_beside_the_english_ones_with_chinese_names(tiny_warehouse):
    built = build_reports(tiny_warehouse, ReportOptions(lang="zh"))
    assert built.folder == report_folder(tiny_warehouse, "zh") == Path(tiny_warehouse.root) / "reports" / "zh"
    spec = json.loads((built.folder / "country_mentions_over_time.vl.json").read_text(encoding="utf-8"))["spec"]
    assert {"中国", "越南", "France"} <= set(_colour_domain(spec))
    assert '<html lang="zh">' in built.page.read_text(encoding="utf-8")
    assert built.facts["countries named in 'zh' (others in English)"] == "2 of 3"


def test_two_hundred_countries_keep_a_short_legend(wide_warehouse, tmp_path):
    built = build_reports(wide_warehouse, ReportOptions(top_n=8), folder=tmp_path)
    for name in ("country_mentions_over_time", "outlet_country_shares"):
        spec = next(w.chart.spec for w in built.charts if w.chart.name == name)
        domain = _colour_domain(spec)
        assert len(domain) == 9 and domain[-1] == "Other countries"


def test_a_warehouse_without_mentions_or_dates_still_renders(empty_warehouse):
    built = build_reports(empty_warehouse)
    assert all(w.png.exists() for w in built.charts)
    assert built.facts["countries mentioned"] == 0
    assert built.facts["published"] == "no dated articles"


def test_reports_leave_the_catalog_as_it_was(tiny_warehouse):
    before = run_query(tiny_warehouse, "SELECT table_name FROM information_schema.tables ORDER BY 1").rows
    build_reports(tiny_warehouse)
    after = run_query(tiny_warehouse, "SELECT table_name FROM information_schema.tables ORDER BY 1").rows
    assert before == after
    assert not any(name.startswith("report_") for (name,) in after)


def test_a_warehouse_without_catalog_is_refused(tmp_path):
    with pytest.raises(CatalogMissing):
        build_reports(Warehouse(str(tmp_path / "nothing")))


def test_options_are_checked():
    with pytest.raises(ValueError, match="grain"):
        ReportOptions(grain="month")
    with pytest.raises(ValueError, match="at least 1"):
        ReportOptions(top_n=0)


def test_the_script_bundle_is_cached_and_an_unusable_cache_only_costs_time(tmp_path):
    from newsetl.reports import page as page_module

    page_module._javascript.cache_clear()
    bundle = page_module._javascript(str(tmp_path / "cache"))
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [
        f"vega-bundle-{page_module.version('vl-convert-python')}.js"
    ]
    assert "window.vegaEmbed" in bundle and "</script" not in bundle

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    page_module._javascript.cache_clear()
    try:
        assert page_module._javascript(str(blocked)) == bundle
    finally:
        page_module._javascript.cache_clear()
