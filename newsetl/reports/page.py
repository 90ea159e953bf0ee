"""The self-contained HTML report: every chart on one page, Vega, Vega-Lite and vega-embed inlined.

Nothing is fetched when the page is viewed (the JavaScript comes from vl-convert's bundle), so the
file can be mailed, archived or opened offline. The editor link of vega-embed is switched off for
the same reason.
"""

import html
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import vl_convert


@dataclass(frozen=True)
class PageChart:
    name: str  # the element id and file stem
    title: str
    spec: dict


@lru_cache(maxsize=1)
def _javascript() -> str:
    # `</script` inside the bundle would end the script element early.
    return vl_convert.javascript_bundle().replace("</script", "<\\/script")


def _json_for_script(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str).replace("</", "<\\/")


def render_page(charts: list[PageChart], heading: str, facts: dict[str, object], lang: str) -> str:
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
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
<script>{_javascript()}</script>
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
"""
