"""The report as one self-contained HTML file: inline CSS, inline SVG, no script.

Nothing is fetched: no web font, no image, no script, so the file opens offline,
can be mailed as it is, and prints cleanly (A4, appendices on new pages, table
headers repeated, colours kept). Every piece of text from the log is escaped, and
its control, bidi and invisible characters are shown as visible stand-ins
(:func:`engine.textsafe.visible`): none reaches the file as it was written.
"""

from __future__ import annotations

import html
from importlib import resources

from engine.i18n import _, current
from engine.i18n.phrase import said
from engine.textsafe import visible
from scoring.report.model import Report
from scoring.report.outline import (
    Block,
    Bullets,
    Cell,
    Chart,
    Chip,
    Document,
    Figures,
    FindingBlock,
    Heading,
    Para,
    Table,
    outline,
)


def escape(text: str) -> str:
    """Text for HTML: escaped, its control, bidi and invisible characters made visible
    (a tab as ``&#9;``, so the file holds no control byte but newlines)."""
    return html.escape(visible(text)).replace("\t", "&#9;")


def stylesheet() -> str:
    return resources.files("scoring.report").joinpath("style.css").read_text(encoding="utf-8")


def _cell(cell: Cell) -> str:
    if isinstance(cell, Chip):
        title = f' title="{escape(cell.title)}"' if cell.title else ""
        return f'<span class="chip {cell.tone}"{title}>{escape(cell.text)}</span>'
    return escape(cell)


def _table(table: Table) -> str:
    cls = f' class="{table.style}"' if table.style else ""
    parts = [f"<table{cls}>"]
    if table.caption:
        parts.append(f"<caption>{escape(table.caption)}</caption>")
    parts.append("<thead><tr>")
    for n, header in enumerate(table.headers):
        num = ' class="num"' if n in table.numeric else ""
        parts.append(f"<th{num}>{escape(header)}</th>")
    parts.append("</tr></thead><tbody>")
    numeric = table.numeric
    for row in table.rows:
        parts.append("<tr>")
        for n, cell in enumerate(row):
            parts.append('<td class="num">' if n in numeric else "<td>")
            parts.append(_cell(cell))
            parts.append("</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _dt_dd(term: str, text: str) -> str:
    return f"<dt>{escape(term)}</dt><dd>{escape(text)}</dd>"


def _block(block: Block) -> str:
    if isinstance(block, Para):
        cls = f' class="{block.style}"' if block.style else ""
        return f"<p{cls}>{escape(block.text)}</p>"
    if isinstance(block, Heading):
        anchor = f' id="{escape(block.anchor)}"' if block.anchor else ""
        return f"<h{block.level}{anchor}>{escape(block.text)}</h{block.level}>"
    if isinstance(block, Figures):
        items = "".join(
            f'<div class="figure"><div class="label">{escape(label)}</div>'
            f'<div class="value">{escape(value)}</div><div class="sub">{escape(small)}</div></div>'
            for label, value, small in block.items
        )
        return f'<div class="figures">{items}</div>'
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, FindingBlock):
        f = block.finding
        tag = escape(_("Strength") if f.kind == "strength" else _("Area for improvement"))
        rows = []
        if f.analysis:
            rows.append(_dt_dd(_("Analysis"), f.analysis))
        if f.recommendation:
            rows.append(_dt_dd(_("Recommendation"), f.recommendation))
        source = (
            _("Drawn from the results")
            if f.source == "results"
            else _("Noted by {author}").format(author=f.source)
        )
        rows.append(_dt_dd(_("Source"), source))
        return (
            f'<div class="finding {f.kind}"><div class="head"><span class="tag">{tag} '
            f"{escape(block.number)}</span>{escape(f.observation)}</div>"
            f"<dl>{''.join(rows)}</dl></div>"
        )
    assert isinstance(block, Chart)
    return (
        f'<figure class="chart-figure"><figcaption>{escape(block.title)}</figcaption>'
        f"{block.svg}</figure>"
    )


def render_document(doc: Document) -> str:
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{current()}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="sitroom">',
        f"<title>{escape(doc.title)}</title>",
        f"<style>{stylesheet()}</style>",
        '</head><body><div class="page">',
        '<header class="cover"><div class="marking"><span>'
        + escape(_("Exercise · for training and evaluation"))
        + "</span><span>"
        + escape(_("AAR/IP"))
        + "</span></div>",
        f"<h1>{escape(doc.title)}</h1>",
        f'<p class="subtitle">{escape(doc.subtitle)}</p><dl>',
    ]
    for key, value in doc.facts:
        out.append(f"<dt>{escape(key)}</dt><dd>{escape(value)}</dd>")
    out.append("</dl></header>")
    warning_word = _("Warning:")
    for warning in doc.warnings:
        said_warning = escape(said(warning))
        out.append(
            f'<div class="warning"><strong>{escape(warning_word)}</strong> {said_warning}</div>'
        )
    contents = _("Contents")
    out.append(f'<nav class="toc"><h2>{escape(contents)}</h2><ol>')
    number = 0
    numbers = []
    for section in doc.sections:
        if section.appendix:
            numbers.append("")
        else:
            number += 1
            numbers.append(str(number))
        out.append(
            f'<li><a href="#{section.anchor}"><span class="n">{numbers[-1]}</span>'
            f"{escape(section.title)}</a></li>"
        )
    out.append("</ol></nav><main>")
    for section, num in zip(doc.sections, numbers, strict=True):
        cls = ' class="appendix"' if section.appendix else ""
        out.append(f'<section id="{section.anchor}"{cls}>')
        badge = f'<span class="n">{num}</span>' if num else ""
        out.append(f"<h2>{badge}{escape(section.title)}</h2>")
        out.extend(_block(block) for block in section.blocks)
        out.append("</section>")
    footer = _(
        "Generated by sitroom from the exercise's event log. Scores follow the scenario's "
        "rules; evaluators' grades and ratings count where given. Times are exercise times "
        "from the start (H:MM:SS)."
    )
    # Text, not an attribute: quotes stay as they are (the English footer's apostrophes).
    text = html.escape(footer, quote=False)
    out.append(f"</main><footer>{text}</footer></div></body></html>")
    return "\n".join(out) + "\n"


def render_html(report: Report) -> str:
    return render_document(outline(report))
