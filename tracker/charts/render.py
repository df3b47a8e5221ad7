"""Charts as accessible SVG drawn on the server: pygal lays them out, this module makes them fit our pages.

pygal (a small pure-Python SVG charting library, see requirements.txt)
computes the layout: scales, bars, axes, legend. What it adds for its own
interactive viewer is taken out, because our pages carry a
Content-Security-Policy with no inline script or style and must work
without JavaScript: its <script> and <style> elements, its tooltips and its
random ids. What the stylesheet would have given is put back as SVG
presentation attributes (fills, strokes, font sizes), which that policy
allows, so the chart looks the same on the editor and the public site,
inline in the page, with no request of its own.

Each chart comes in two shapes, wide for a desktop column and narrow for a
390-pixel phone (the page's CSS shows one), with a <title> and a <desc>
that says in words what the bars show, and the rows behind it for the
table under the chart. Statuses are drawn in the sites' status colours and
named in the legend, so colour never carries the meaning alone.

This module imports only pygal, lxml and the standard library: the public
site's plugin (loaded by Datasette outside this package's own imports)
uses it as it is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import pygal
from lxml import etree
from markupsafe import Markup, escape
from pygal.style import Style

from tracker.charts.buckets import BY_NAME, Unit, parse, series

# The readers' words for each status, written once for the public site's plugins (a leaf file they load by path).
from tracker.public.plugins.statuses import STATUS_LABELS as STATUS_WORDS

SVG_NS = "http://www.w3.org/2000/svg"
# The sites' status colours (editor.css and public.css say the same; a test keeps the three in step).
STATUS_COLOURS = {
    "confirmed": "#1a7f37",
    "denied": "#b42318",
    "unclear": "#b54708",
    "unreviewed": "#57606a",
}
# The readers' words, as every public page says them (tracker/public/plugins/reader_data.py, status_labels).
STATUS_ORDER = ("confirmed", "denied", "unclear", "unreviewed")  # stacked from the bottom: what is settled first
# Outlets: dark enough for white text and apart from the status colours; statements and copies get their own.
OUTLET_COLOURS = ("#0b5cad", "#8250df", "#0a7ea4", "#bf3989", "#6e5600")
OTHER_COLOUR = "#424a53"
STATEMENT_COLOUR = "#16233a"
COPY_COLOUR = "#87909a"  # light beside the outlets, yet 3.2:1 on the paper (non-text contrast)
INK, MUTED, RULE, PAPER = "#1b1f24", "#57606a", "#d8dee4", "#ffffff"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
UNKNOWN_OUTLET = "Unknown outlet"
KIND_WORDS = {"report": "independent report", "copy": "syndicated copy", "statement": "statement"}
SHAPES = {"wide": (760, 300), "narrow": (380, 320)}
PLOT_MARGINS = 120  # of a shape's width, what the y axis, its title and the margins leave to the bars
# What an SVG (XML) cannot hold: control characters but tab, newline and carriage return; surrogates; U+FFFE, U+FFFF.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[int, ...]
    colour: str
    key: str  # what the series is, for tests and for CSS: an outlet's name, a status, "copies"


@dataclass(frozen=True)
class Chart:
    """One chart, ready for a page: two SVG shapes and the table of its rows."""

    key: str  # coverage or claims
    title: str
    summary: str  # what the chart shows, in words: its <desc> and the caption under its title
    unit: Unit
    svg: dict[str, str] = field(default_factory=dict)  # shape -> SVG markup (already safe: built here)
    columns: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()
    series: tuple[Series, ...] = ()
    buckets: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.rows


def coverage_chart(
    rows: Iterable[Mapping],
    unit_name: str,
    chart_id: str,
    *,
    scope: str = "coverage",
    span: tuple[str | None, str | None] = (None, None),
) -> Chart:
    """Items per time bucket, stacked by outlet; statements and syndicated copies as series of their own.

    rows: bucket, outlet, kind (report, copy or statement), items, as the
    editor's query and the public `coverage_over_time` query return them.
    span: the story's first and last moment (both charts share it, so they
    read side by side); the rows' own span when not given.
    """
    unit = BY_NAME.get(unit_name, BY_NAME["day"])
    # An outlet's name (typed or scraped) names a series in the SVG, where a control character would be refused.
    # An item with none (a saved file without a site name) is named once here, so its series finds its rows.
    rows = [{**r, "outlet": NOT_XML.sub(" ", r["outlet"] or "") or UNKNOWN_OUTLET} for r in rows if r["items"]]
    title = f"Coverage per {unit.noun}"
    if not rows:
        return Chart("coverage", title, f"No {scope} yet.", unit)
    buckets = series(unit, *_span(span, [r["bucket"] for r in rows]))
    unit = _dated(unit, [*buckets, *(r["bucket"] for r in rows)])
    totals: dict[tuple[str, str], int] = {}
    for r in rows:
        totals[(r["kind"], r["outlet"])] = totals.get((r["kind"], r["outlet"]), 0) + r["items"]
    reporters = sorted({o for k, o in totals if k == "report"}, key=lambda o: (-totals[("report", o)], o))
    # The outlets with most reports are shown, each in its place and colour from the period of its first report on
    # (the rows are counted by period: outlets first reported in the same one go by name). By count
    # alone, a live story's outlets swapped colours between two reloads as one overtook another.
    first = {}
    for r in rows:
        if r["kind"] == "report":
            first[r["outlet"]] = min(first.get(r["outlet"], r["bucket"]), r["bucket"])
    shown = sorted(reporters[: len(OUTLET_COLOURS)], key=lambda o: (first[o], o))
    plan: list[tuple[str, str, str, callable]] = []
    for i, outlet in enumerate(shown):
        plan.append((outlet, OUTLET_COLOURS[i], outlet, lambda r, o=outlet: r["kind"] == "report" and r["outlet"] == o))
    if len(reporters) > len(shown):
        rest = set(reporters) - set(shown)
        plan.append(("Other outlets", OTHER_COLOUR, "other", lambda r: r["kind"] == "report" and r["outlet"] in rest))
    if any(k == "copy" for k, _ in totals):
        plan.append(("Syndicated copies", COPY_COLOUR, "copies", lambda r: r["kind"] == "copy"))
    organisations = sorted({o for k, o in totals if k == "statement"})
    if organisations:
        label = f"Statements ({organisations[0]})" if len(organisations) == 1 else "Statements"
        plan.append((label, STATEMENT_COLOUR, "statements", lambda r: r["kind"] == "statement"))
    drawn = []
    for label, colour, key, wanted in plan:
        per_bucket = dict.fromkeys(buckets, 0)
        for r in rows:
            if wanted(r) and r["bucket"] in per_bucket:  # one before the drawn buckets stays in the table
                per_bucket[r["bucket"]] += r["items"]
        drawn.append(Series(label, tuple(per_bucket[b] for b in buckets), colour, key))
    summary = _coverage_summary(rows, unit, buckets, scope)
    table = tuple(
        (_label(unit, r["bucket"]), r["outlet"], KIND_WORDS.get(r["kind"], r["kind"]), r["items"])
        for r in sorted(rows, key=lambda r: (r["bucket"], r["kind"], r["outlet"]))
    )
    return _chart(
        "coverage",
        title,
        summary,
        unit,
        chart_id,
        buckets,
        drawn,
        ("When (UTC)", "Outlet or organisation", "Kind", "Items"),
        table,
        "Items",
    )


def claims_chart(
    rows: Iterable[Mapping],
    unit_name: str,
    chart_id: str,
    *,
    scope: str = "claims",
    span: tuple[str | None, str | None] = (None, None),
) -> Chart:
    """Claims by status at the end of each time bucket, stacked: what the newsroom had established, and when.

    rows: bucket, confirmed, denied, unclear, unreviewed (running totals, one
    row per bucket in which something changed), as the editor's query and
    the public `claims_over_time` query return them; buckets in between
    carry the last totals forward.
    """
    unit = BY_NAME.get(unit_name, BY_NAME["day"])
    rows = sorted((dict(r) for r in rows), key=lambda r: r["bucket"])
    title = f"Claims by status, per {unit.noun}"
    if not rows:
        return Chart("claims", title, f"No {scope} yet.", unit)
    buckets = series(unit, *_span(span, [r["bucket"] for r in rows]))
    unit = _dated(unit, [*buckets, *(r["bucket"] for r in rows)])
    by_bucket = {r["bucket"]: r for r in rows}
    before = [r for r in rows if r["bucket"] < buckets[0]]  # running totals from before the drawn buckets
    filled, last = [], {s: int(before[-1][s] or 0) if before else 0 for s in STATUS_ORDER}
    for b in buckets:
        if b in by_bucket:
            last = {s: int(by_bucket[b][s] or 0) for s in STATUS_ORDER}
        filled.append(last)
    drawn = [
        Series(STATUS_WORDS[s], tuple(f[s] for f in filled), STATUS_COLOURS[s], s)
        for s in STATUS_ORDER
        if any(f[s] for f in filled)
    ]
    end = filled[-1]
    counted = ", ".join(f"{end[s]:,} {STATUS_WORDS[s].lower()}" for s in STATUS_ORDER if end[s])
    settled = next((b for b, f in zip(buckets, filled) if f["confirmed"] or f["denied"]), None)
    total = sum(end.values())
    # The scope names claims in the plural ("claims", "published claims"): one is "1 published claim".
    claims = _count(total, scope.removesuffix("s"), scope)
    summary = f"{claims} by the end of {_label(unit, buckets[-1])} UTC: {counted}. " + (
        f"The first was settled (confirmed or denied) by the end of {_label(unit, settled)}."
        if settled
        else "None is confirmed or denied yet."
    )
    table = tuple((_label(unit, r["bucket"]), *(int(r[s] or 0) for s in STATUS_ORDER)) for r in rows)
    return _chart(
        "claims",
        title,
        summary,
        unit,
        chart_id,
        buckets,
        drawn,
        ("By the end of (UTC)", *(STATUS_WORDS[s] for s in STATUS_ORDER)),
        table,
        "Claims",
    )


def _span(span: tuple[str | None, str | None], keys: list[str]) -> tuple[str, str]:
    """The given span widened to hold every row's bucket (a row can never fall off the axis)."""
    first, last = span
    return min(filter(None, (first, *keys))), max(filter(None, (last, *keys)))


def _coverage_summary(rows: list[dict], unit: Unit, buckets: list[str], scope: str) -> str:
    """What the bars show, in words; items dated before the first bar (an old article cited) are only counted."""
    drawn = set(buckets)
    earlier = sum(r["items"] for r in rows if r["bucket"] not in drawn)
    rows = [r for r in rows if r["bucket"] in drawn]
    if not rows:
        return f"{_count(earlier, 'item')} of {scope}, all dated before {_label(unit, buckets[0])}: see the table."
    total = sum(r["items"] for r in rows)
    by_kind = {k: sum(r["items"] for r in rows if r["kind"] == k) for k in KIND_WORDS}
    outlets = len({r["outlet"] for r in rows if r["kind"] == "report"})
    per_bucket: dict[str, int] = {}
    for r in rows:
        per_bucket[r["bucket"]] = per_bucket.get(r["bucket"], 0) + r["items"]
    peak = max(per_bucket, key=lambda b: (per_bucket[b], b))
    parts = [f"{_count(by_kind['report'], 'independent report')} from {_count(outlets, 'outlet')}"]
    if by_kind["copy"]:
        parts.append(_count(by_kind["copy"], "syndicated copy", "syndicated copies"))
    if by_kind["statement"]:
        parts.append(_count(by_kind["statement"], "statement"))
    verb = "is" if earlier == 1 else "are"
    before = (
        f" {_count(earlier, 'earlier item')}, dated before the chart begins, {verb} in the table." if earlier else ""
    )
    first, last = _label(unit, buckets[0]), _label(unit, buckets[-1])
    when = f"at {first}" if first == last else f"from {first} to {last}"  # one period: not "from 10:00 to 10:00"
    return (
        f"{_count(total, 'item')} of {scope} {when} UTC: "
        f"{', '.join(parts)}. Busiest {unit.noun}: {_label(unit, peak)}, {_count(per_bucket[peak], 'item')}.{before}"
    )


def _count(n: int, one: str, many: str | None = None) -> str:
    """'1 item', '3 items', '10,000 items': the summaries are read aloud by screen readers, so the grammar matters."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def _dated(unit: Unit, keys: list[str]) -> Unit:
    """The unit, labelling with years when the keys span more than one ("28 Dec 2026", "4 Jan 2027")."""
    return replace(unit, years=len({key[:4] for key in keys}) > 1)


def _label(unit: Unit, key: str, short: bool = False) -> str:
    return unit.label(parse(key), short)


def _chart(key, title, summary, unit, chart_id, buckets, drawn, columns, table, y_title) -> Chart:
    svgs = {
        shape: _svg(f"{chart_id}-{shape}", title, summary, unit, buckets, drawn, shape, y_title) for shape in SHAPES
    }
    return Chart(key, title, summary, unit, svgs, columns, table, tuple(drawn), tuple(buckets))


def _ticks(top: int) -> list[int]:
    """Whole-number y ticks from 0, at most six, on a 1-2-5 step: items and claims come in ones."""
    top = max(top, 1)
    step = 1
    for base in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        step = base
        if top / base <= 5:
            break
    else:
        step = 10 ** math.ceil(math.log10(top / 5))
    return list(range(0, (top // step + 1) * step + 1, step))


def _svg(svg_id, title, summary, unit, buckets, drawn, shape, y_title) -> str:
    width, height = SHAPES[shape]
    narrow = shape == "narrow"
    labels = [_label(unit, b, short=narrow) for b in buckets]
    # Every n-th bucket is labelled, n chosen so labels stand a space apart at their own width ("24 Nov26 Nov"
    # reads as one run of words): a 13-unit character is at most 8 units wide; the y axis and margins take ~120.
    label_width = 8 * max(len(label) for label in labels) + 16
    every = max(1, math.ceil(len(labels) * label_width / (width - PLOT_MARGINS)))
    if unit.name == "hour":
        # pygal picks the labels to show by their text, and a phone's "09:00" comes back every day: a step
        # that divides a day labels the same hours each day, and only those.
        every = next((n for n in (1, 2, 3, 4, 6, 8, 12) if n >= every), 24 * math.ceil(every / 24))
    style = Style(
        font_family=FONT,
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=14,
        title_font_size=14,
        value_font_size=12,
        colors=tuple(s.colour for s in drawn),
    )
    chart = pygal.StackedBar(
        width=width,
        height=height,
        explicit_size=False,
        style=style,
        js=[],
        css=[],
        no_prefix=True,
        disable_xml_declaration=True,
        show_legend=False,  # the legend is HTML under the chart (figure()): it wraps on a phone and reads as text
        truncate_label=-1,
        x_title=f"{unit.noun.capitalize()} (UTC)",
        y_title=y_title,
        x_labels_major_every=every,
        show_minor_x_labels=False,
        show_x_guides=False,
        y_labels=_ticks(max(sum(s.values[i] for s in drawn) for i in range(len(buckets)))),
        margin=10,
        # The last x label is centred on the last bar, near the right edge: half of "30 Nov" (or of the
        # wide shape's "4 Dec 21:00") reaches past a 10-unit margin and was cut off.
        margin_right=30,
        spacing=12,
        print_values=False,
        tooltip_fancy_mode=False,
        value_formatter=lambda value: f"{value:,.0f}",  # the y axis's "10,000", as the summary and the table write it
    )
    chart.x_labels = labels
    for s in drawn:
        chart.add(s.label, list(s.values))
    return _clean(chart.render(is_unicode=True), svg_id, title, summary, drawn)


_CLASS_N = re.compile(r"\bcolor-(\d+)\b")


def _clean(markup: str, svg_id: str, title: str, summary: str, drawn: list[Series]) -> str:
    """pygal's SVG without script, style, tooltips or random ids; colours and fonts as attributes; a title and desc."""
    root = etree.fromstring(markup.encode("utf-8"), etree.XMLParser(remove_comments=True, resolve_entities=False))
    for element in root.xpath("//*[local-name()='script' or local-name()='style' or local-name()='defs']"):
        element.getparent().remove(element)
    # Tooltips and value overlays are for pygal's script; an inline style attribute would break the CSP.
    for element in root.xpath("//*[@style] | //*[contains(@class, 'overlay')]"):
        element.getparent().remove(element)
    for element in root.xpath("/*/*[local-name()='title']"):
        root.remove(element)
    root.attrib.pop("id", None)
    root.set("id", svg_id)
    root.set("class", "chart-svg")
    root.set("role", "img")
    root.set("aria-labelledby", f"{svg_id}-title {svg_id}-desc")
    root.set("font-family", FONT)
    root.set("fill", INK)
    desc = etree.Element(f"{{{SVG_NS}}}desc", id=f"{svg_id}-desc")
    desc.text = summary
    heading = etree.Element(f"{{{SVG_NS}}}title", id=f"{svg_id}-title")
    heading.text = title
    root.insert(0, desc)
    root.insert(0, heading)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        classes = set((element.get("class") or "").split())
        name = etree.QName(element).localname
        if name == "rect" and "background" in classes:
            element.set("fill", PAPER)
        elif name == "path" and classes & {"line", "guide"}:
            element.set("fill", "none")
            element.set("stroke", MUTED if "axis" in classes or classes == {"line"} else RULE)
            element.set("stroke-width", "1")
        elif name == "text":
            element.set("font-size", "14" if "title" in classes else "13")
            if "title" in classes:
                element.set("fill", MUTED)
        match = _CLASS_N.search(element.get("class") or "")
        if match and int(match.group(1)) < len(drawn):
            series = drawn[int(match.group(1))]
            element.set("fill", series.colour)
            if name == "g":
                element.set("data-series", series.key)
    # A white outline parts a bar's stacked series; on a bar under 6 units wide (a phone's seven weeks, an article
    # cited from years before the story) it would take a sixth of the bar or more, and washed hundreds of thin
    # bars out to white: those are drawn without one.
    for element in root.xpath("//*[contains(@class, 'bar')]/*[local-name()='rect']"):
        if float(element.get("width") or 0) >= 6:
            element.set("stroke", PAPER)
            element.set("stroke-width", "1")
    # pygal gives an x label its bar's centre and a y label the axis's edge, and anchors them in its stylesheet
    # (x and titles middle, y end): without the anchor a label starts there, under the bars to the right of its own.
    for axis in root.xpath("//*[local-name()='g'][starts-with(@class, 'axis ')]"):
        anchor = {"x": "middle", "y": "end"}.get((axis.get("class") or "").split()[1])
        for element in axis.xpath(".//*[local-name()='text']") if anchor else ():
            element.set("text-anchor", anchor)
    for element in root.xpath("//*[local-name()='text'][contains(concat(' ', @class, ' '), ' title ')]"):
        element.set("text-anchor", "middle")
    return etree.tostring(root, encoding="unicode")


def figure(chart: Chart, downloads: Iterable[tuple[str, str]] = (), heading: str = "h3") -> Markup:
    """The chart as a page shows it: heading, what it shows in words, both shapes, legend, and its rows.

    One piece of markup for both sites (the editor's dashboard and the
    public story page): the SVG is built by this module from numbers and
    escaped labels, every other string is escaped here. `downloads` are
    (label, url) links to the same rows as data (the public JSON and CSV).
    """
    key = escape(chart.key)
    parts = [
        Markup('<figure class="chart-figure chart-figure--{0}" aria-labelledby="chart-{0}-heading">').format(key),
        Markup('<figcaption><{0} id="chart-{1}-heading" class="chart-title">{2}</{0}>').format(
            Markup(heading), key, chart.title
        ),
        Markup('<p class="chart-summary">{0}</p></figcaption>').format(chart.summary),
    ]
    if chart.empty:
        parts.append(Markup("</figure>"))
        return Markup("").join(parts)
    for shape, svg in chart.svg.items():
        parts.append(Markup('<div class="chart-shape chart-shape--{0}">{1}</div>').format(shape, Markup(svg)))
    parts.append(Markup('<ul class="chart-legend" aria-label="Legend">'))
    for s in chart.series:
        parts.append(
            Markup(
                '<li><svg class="chart-swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" '
                'focusable="false"><rect width="14" height="14" rx="2" fill="{0}"/></svg>{1}</li>'
            ).format(s.colour, s.label)
        )
    parts.append(Markup("</ul>"))
    parts.append(Markup('<details class="chart-data"><summary>The numbers behind this chart</summary>'))
    # Scrolls sideways on a phone: focusable, and named by the chart's heading, so a keyboard can scroll it.
    parts.append(
        Markup(
            '<div class="chart-table-wrap" tabindex="0" role="region" aria-labelledby="chart-{0}-heading">'
            '<table class="chart-table"><thead><tr>'
        ).format(key)
    )
    parts.extend(Markup('<th scope="col">{0}</th>').format(c) for c in chart.columns)
    parts.append(Markup("</tr></thead><tbody>"))
    for row in chart.rows:
        # Every cell carries its column's name (the time, each number, the outlet and kind): on a phone the rows
        # stack and the header row is not shown (editor.css, story.css).
        cells = [Markup('<th scope="row" data-label="{1}">{0}</th>').format(row[0], chart.columns[0])]
        cells += [
            Markup('<td class="num" data-label="{1}">{0:,}</td>').format(v, column)
            if isinstance(v, int)
            else Markup('<td data-label="{1}">{0}</td>').format(v, column)
            for v, column in zip(row[1:], chart.columns[1:])
        ]
        parts.append(Markup("<tr>") + Markup("").join(cells) + Markup("</tr>"))
    parts.append(Markup("</tbody></table></div>"))
    links = [Markup('<a href="{0}">{1}</a>').format(url, label) for label, url in downloads]
    if links:
        joined = Markup(" · ").join(links)
        parts.append(Markup('<p class="chart-downloads">The same rows as data: {0}</p>').format(joined))
    parts.append(Markup("</details></figure>"))
    return Markup("").join(parts)
