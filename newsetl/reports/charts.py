"""Query results to Vega-Lite charts (Altair). Pure: data in, chart specification out.

Every country chart folds the long tail into one grey "other" entry and keeps colours by
country rank, so the same rank has the same colour in every chart of a report.
"""

from datetime import date

import altair as alt
import polars as pl

# Tableau 20 without its greys: 18 distinguishable colours; ranks beyond wrap around.
_PALETTE = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#a0cbe8",
    "#ffbe7d",
    "#ff9d9a",
    "#86bcb6",
    "#8cd17d",
    "#f1ce63",
    "#d4a6c8",
    "#fabfd2",
    "#d7b5a6",
]
OTHER_COLOUR = "#9d9d9d"
FONT = "Noto Sans, Noto Sans CJK SC, DejaVu Sans, Arial, sans-serif"
WIDTH = 640


def _ranked_colours(frame: pl.DataFrame, label: str, rank: str, other_label: str | None = None) -> alt.Scale:
    ordered = frame.group_by(label).agg(pl.col(rank).min()).sort(rank)[label].to_list()
    colours = [OTHER_COLOUR if name == other_label else _PALETTE[i % len(_PALETTE)] for i, name in enumerate(ordered)]
    return alt.Scale(domain=ordered, range=colours)


def _finish(chart: alt.Chart | alt.LayerChart, title: str, subtitle: str) -> dict:
    return (
        chart.properties(title=alt.TitleParams(title, subtitle=subtitle, anchor="start"))
        .configure(font=FONT)
        .configure_view(stroke=None)
        .configure_legend(labelLimit=220, symbolLimit=40)
        .to_dict()
    )


def _nothing_to_draw(title: str, message: str) -> dict:
    """A chart of an empty result: a titled note, rather than an empty or broken plot."""
    note = (
        alt.Chart(alt.Data(values=[{"message": message}])).mark_text(fontSize=14, color="#666").encode(text="message:N")
    )
    return _finish(note.properties(width=WIDTH, height=60), title, "")


NO_MENTIONS = "No country mentions in the warehouse yet."


def _largest_count(counts: pl.Series) -> int:
    """The largest of an integer column, 0 when it is empty (Series.max is typed for every dtype)."""
    largest = counts.max()
    return largest if isinstance(largest, int) else 0


def _count_axis(largest: int) -> alt.Axis:
    # Counts are whole numbers: small ones get one tick per integer rather than 0.5 steps, and
    # larger ones never a fractional step that "d" would print as the same integer twice.
    if largest <= 10:
        return alt.Axis(values=list(range(largest + 1)), format="d", tickMinStep=1)
    return alt.Axis(format=",d", tickMinStep=1)


def _time_axis(first: date, last: date) -> alt.Axis:
    """Tick labels that carry the year: a corpus spans years, and "Jan 01" on every tick of a
    30-year axis says nothing. Long spans get year ticks, medium ones months, short ones days."""
    span_days = (last - first).days
    if span_days > 3 * 366:
        return alt.Axis(format="%Y", tickCount={"interval": "year", "step": max(1, round(span_days / 366 / 10))})
    if span_days > 90:
        return alt.Axis(format="%b %Y", tickCount={"interval": "month", "step": max(1, round(span_days / 31 / 10))})
    return alt.Axis(format="%d %b %Y", labelAngle=-30)


def _country_tooltip(period_title: str | None) -> list[alt.Tooltip]:
    period = [alt.Tooltip("period:T", title=period_title)] if period_title else []
    return [
        *period,
        alt.Tooltip("country:N", title="Country"),
        alt.Tooltip("iso2:N", title="ISO"),
        alt.Tooltip("articles:Q", title="Articles", format=","),
    ]


def country_mentions_over_time(frame: pl.DataFrame, grain: str, other_label: str, title: str) -> dict:
    if frame.is_empty():
        return _nothing_to_draw(title, "No dated article mentions a country yet.")
    colours = _ranked_colours(frame, "country", "country_rank", other_label)
    colour = alt.Color("country:N", scale=colours, sort=colours.domain, title=None)
    count_axis = _count_axis(_largest_count(frame["articles"]))
    if frame["period"].n_unique() < 2:
        # One day or week has no "over time": the same numbers as bars, so the chart still reads.
        bars = (
            alt.Chart(frame)
            .mark_bar()
            .encode(
                y=alt.Y("country:N", sort=colours.domain, title=None),
                x=alt.X("articles:Q", title="Articles mentioning the country", axis=count_axis),
                color=alt.Color("country:N", scale=colours, sort=colours.domain, legend=None),
                tooltip=_country_tooltip("Day" if grain == "day" else "Week of"),
            )
        )
        subtitle = f"Only one {grain} of dated articles so far: articles per country, top countries and the rest"
        return _finish(bars.properties(width=WIDTH, height=max(80, 22 * len(colours.domain))), title, subtitle)
    period = "Week of" if grain == "week" else "Day"
    first, last = frame["period"].min(), frame["period"].max()
    assert isinstance(first, date) and isinstance(last, date), "period is a date column with two values or more"
    base = alt.Chart(frame).encode(
        x=alt.X("period:T", title=period, axis=_time_axis(first, last)),
        y=alt.Y("articles:Q", title="Articles mentioning the country", axis=count_axis),
        color=colour,
        strokeDash=alt.condition(alt.datum.iso2 == None, alt.value([4, 3]), alt.value([1, 0])),  # noqa: E711 - a Vega expression
        tooltip=_country_tooltip(period),
    )
    lines = base.mark_line(strokeWidth=2) + base.mark_point(size=24, filled=True)
    return _finish(
        lines.properties(width=WIDTH, height=360),
        title,
        f"Articles per {grain}, top countries; the dashed grey line folds in every other country",
    )


RISE_COLOUR, FALL_COLOUR = "#59a14f", "#e15759"


def country_movers(frame: pl.DataFrame, grain: str, title: str) -> dict:
    if frame.is_empty():
        return _nothing_to_draw(title, f"Two {grain}s of dated articles are needed to compare.")
    latest, previous = frame["latest_period"][0], frame["previous_period"][0]
    order = frame.sort("change", descending=True)["country"].to_list()
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("country:N", sort=order, title=None),
            x=alt.X(
                "change:Q",
                title=f"Change in articles, {grain} of {latest} against {grain} of {previous}",
                axis=alt.Axis(format="+,d", tickMinStep=1),
            ),
            color=alt.condition(alt.datum.change > 0, alt.value(RISE_COLOUR), alt.value(FALL_COLOUR)),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("latest_articles:Q", title=f"Articles, {grain} of {latest}", format=","),
                alt.Tooltip("previous_articles:Q", title=f"Articles, {grain} of {previous}", format=","),
                alt.Tooltip("change:Q", title="Change", format="+,d"),
            ],
        )
    )
    subtitle = f"Countries that gained or lost the most articles in the latest {grain} (which may still be running)"
    return _finish(chart.properties(width=WIDTH, height=max(80, 22 * len(order))), title, subtitle)


def country_co_mentions(frame: pl.DataFrame, title: str) -> dict:
    if frame.is_empty():
        return _nothing_to_draw(title, NO_MENTIONS)
    # The diagonal is a country's own article count: it would swamp the colour scale.
    pairs = frame.filter(pl.col("iso2_a") != pl.col("iso2_b"))
    order = frame.sort("rank_a")["country_a"].unique(maintain_order=True).to_list()
    side = max(260, min(22 * len(order), 560))
    base = alt.Chart(pairs).encode(
        x=alt.X("country_b:N", sort=order, title=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("country_a:N", sort=order, title=None),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("articles:Q", title="Articles", scale=alt.Scale(scheme="blues", type="sqrt")),
        tooltip=[
            alt.Tooltip("country_a:N", title="Country"),
            alt.Tooltip("country_b:N", title="with"),
            alt.Tooltip("articles:Q", title="Articles", format=","),
        ],
    )
    chart = cells
    if len(order) <= 15:
        # Counts in the cells while they fit; dark cells get white text.
        ceiling = _largest_count(pairs["articles"])
        text = base.mark_text(fontSize=9).encode(
            text=alt.Text("articles:Q", format=","),
            color=alt.condition(alt.datum.articles > ceiling / 2, alt.value("white"), alt.value("#333")),
        )
        chart = cells + text
    return _finish(
        chart.properties(width=side, height=side),
        title,
        "Articles that mention both countries, among the most mentioned countries",
    )


def _share_bars(
    frame: pl.DataFrame, colour: alt.Color, order: alt.Order, x_title: str, tooltip: list[alt.Tooltip]
) -> alt.Chart:
    """One 100 % bar per outlet, in outlet rank order, split by `colour`."""
    outlets = frame.sort("outlet_rank")["outlet"].unique(maintain_order=True).to_list()
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("outlet:N", sort=outlets, title=None),
            x=alt.X("share:Q", title=x_title, axis=alt.Axis(format="%"), stack="normalize"),
            color=colour,
            order=order,
            tooltip=[
                alt.Tooltip("outlet:N", title="Outlet"),
                *tooltip,
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
        .properties(width=WIDTH, height=max(80, 26 * len(outlets)))
    )


def outlet_country_shares(frame: pl.DataFrame, other_label: str, title: str) -> dict:
    if frame.is_empty():
        return _nothing_to_draw(title, NO_MENTIONS)
    colours = _ranked_colours(frame, "country", "country_rank", other_label)
    chart = _share_bars(
        frame,
        alt.Color("country:N", scale=colours, sort=colours.domain, title=None),
        alt.Order("country_rank:Q"),
        "Share of the outlet's country mentions",
        [
            alt.Tooltip("country:N", title="Country"),
            alt.Tooltip("mentions:Q", title="Article mentions", format=","),
            alt.Tooltip("outlet_articles:Q", title="Outlet articles", format=","),
        ],
    )
    return _finish(chart, title, "Which countries each of the largest outlets writes about")


def language_mix(frame: pl.DataFrame, title: str) -> dict:
    if frame.is_empty():
        return _nothing_to_draw(title, "No articles in the warehouse yet.")
    languages = frame.filter(pl.col("outlet_rank") == 0).sort("articles", descending=True)["language_name"].to_list()
    chart = _share_bars(
        frame,
        alt.Color("language_name:N", sort=languages, title=None, scale=alt.Scale(range=_PALETTE)),
        alt.Order("articles:Q", sort="descending"),
        "Share of articles",
        [alt.Tooltip("language_name:N", title="Language"), alt.Tooltip("articles:Q", title="Articles", format=",")],
    )
    return _finish(chart, title, "Articles per language: the whole corpus first, then the largest outlets")
