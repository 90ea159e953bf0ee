"""The self-contained HTML report: every chart on one page, Vega, Vega-Lite and vega-embed inlined.

Nothing is fetched when the page is viewed (the JavaScript comes from vl-convert's bundle), so the
file can be mailed, archived or opened offline. The editor link of vega-embed is switched off for
the same reason.
"""

import contextlib
import html
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import vl_convert


@dataclass(frozen=True)
class PageChart:
    name: str  # the element id and file stem
    title: str
    spec: dict


def _bundle() -> str:
    # vl-convert's stub gives `snippet` no default; at run time it is None, the snippet that sets the globals
    return vl_convert.javascript_bundle().replace("</script", "<\\/script")  # type: ignore[call-arg]


@lru_cache(maxsize=4)
def _javascript(cache: str | None) -> str:
    """Vega, Vega-Lite and vega-embed in one script; `</script` escaped so it cannot end the element.

    Bundling takes vl-convert one to two seconds, most of a report's time, and gives the same
    text for the same vl-convert version: it is kept in the `cache` folder (Settings.cache, the
    user's cache folder), and only in this process when that is None. A cache that cannot be read or
    written only costs the time.
    """
    if cache is None:
        return _bundle()
    cached = Path(cache) / f"vega-bundle-{version('vl-convert-python')}.js"
    try:
        return cached.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = _bundle()
    temporary = cached.with_name(f".{cached.name}.{uuid.uuid4().hex}.tmp")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(bundle, encoding="utf-8")
        os.replace(temporary, cached)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    return bundle


def _json_for_script(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str).replace("</", "<\\/")


def render_page(
    charts: list[PageChart], heading: str, facts: dict[str, object], lang: str, cache: str | None = None
) -> str:
    """The page; `cache` is the folder that keeps the script bundle between processes (see _javascript)."""
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    fact_items = "".join(f"<li><b>{html.escape(str(v))}</b> {html.escape(k)}</li>" for k, v in facts.items())
    nav = "".join(f'<a href="#{html.escape(c.name)}">{html.escape(c.title)}</a>' for c in charts)
    sections = "".join(
        # The chart carries its own title; the section only anchors the navigation.
        f'<section id="{html.escape(c.name)}"><div class="chart" data-chart="{html.escape(c.name)}"></div></section>'
        for c in charts
    )
    specs = _json_for_script({c.name: c.spec for c in charts})
    return f"""<!DOCTYPE html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(heading)}</title>
<style>
body {{ font-family: "Noto Sans", "Noto Sans CJK SC", "DejaVu Sans", Arial, sans-serif; margin: 2rem auto; max-width: 1000px; color: #222; padding: 0 1rem; }}
h1 {{ margin-bottom: .2rem; }}
.generated {{ color: #666; margin-top: 0; }}
ul.facts {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1.2rem; }}
nav a {{ margin-right: 1rem; }}
section {{ margin: 2.5rem 0; }}
.chart-error {{ color: #b00020; }}
</style>
</head>
<body>
<h1>{html.escape(heading)}</h1>
<p class="generated">Generated {generated}</p>
<ul class="facts">{fact_items}</ul>
<nav>{nav}</nav>
{sections}
<script>{_javascript(cache)}</script>
<script>
const specs = {specs};
for (const element of document.querySelectorAll("[data-chart]")) {{
  vegaEmbed(element, specs[element.dataset.chart], {{renderer: "svg", actions: {{export: true, source: false, compiled: false, editor: false}}}})
    .then(() => element.setAttribute("data-rendered", "true"))
    .catch((error) => {{ element.classList.add("chart-error"); element.textContent = "This chart failed to render: " + error; }});
}}
</script>
</body>
</html>
"""  # noqa: E501 (the page's CSS and JavaScript lines stay as the browser test knows them)
