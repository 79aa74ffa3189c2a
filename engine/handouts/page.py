"""The join cards as one printable HTML page: cards in a grid, several a sheet.

Each sheet is one printed page (``@page`` sets the paper and its margins; the grid
fills what is left, so the dashed lines to cut along fall at the same place on every
sheet). Staff cards come first and start their own sheets, so they are never cut
from the same sheet as the players'. The page is self-contained: styles inline, QR
codes as inline SVG (made by segno), no font, script or image from anywhere.

Every text from the scenario or the roster goes through :func:`_text` (invisible
and bidi characters made visible, then HTML-escaped): a team called
``<script>`` prints as those characters.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import segno

from engine.handouts.cards import Card, CardSet
from engine.i18n import N_, _, current, ngettext
from engine.i18n.forms import grouped
from engine.textsafe import visible

PaperName = Literal["a4", "letter"]


@dataclass(frozen=True)
class Paper:
    """A sheet and how the cards tile it."""

    name: str
    css: str
    """The ``@page`` size keyword."""
    width_mm: float
    height_mm: float
    margin_mm: float = 10.0
    columns: int = 2
    rows: int = 4

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def card_mm(self) -> tuple[float, float]:
        """Width and height of one card."""
        return (
            (self.width_mm - 2 * self.margin_mm) / self.columns,
            (self.height_mm - 2 * self.margin_mm) / self.rows,
        )


PAPERS: dict[PaperName, Paper] = {
    "a4": Paper("A4", "A4", 210.0, 297.0),
    "letter": Paper("Letter", "letter", 215.9, 279.4),
}

QR_MM = 27.0
"""The printed QR code's side: about 0.65 mm a module with its quiet zone, which a
phone reads from an arm's length."""
QR_TITLE = "QR code: opens the console with this card's code"


def qr_svg(link: str) -> str:
    """An inline SVG QR code of ``link`` (error correction M or better: segno raises it
    while the code keeps its size), with the quiet zone the standard asks for."""
    code = segno.make(link, error="m", micro=False)
    svg: str = code.svg_inline(
        scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None, title=QR_TITLE
    )
    return svg


def _text(value: str) -> str:
    """People's text, safe in HTML: visible stand-ins for invisible characters, escaped."""
    return html.escape(visible(value, one_line=True), quote=True)


def _chunks(cards: Sequence[Card], size: int) -> Iterator[Sequence[Card]]:
    for start in range(0, len(cards), size):
        yield cards[start : start + size]


def _said(template: str, **values: str) -> str:
    """One of our own sentences in the reader's language, escaped for HTML, with
    ``values`` (already HTML) put in its slots."""
    return html.escape(_(template), quote=False).format(**values)


def _card_html(card: Card, title: str, browser: str) -> str:
    members = ""
    if card.members:
        members = f'<p class="members">{_text(" · ".join(card.members))}</p>'
    if card.staff:
        band = _said(N_("Staff card · {heading} · not for players"), heading=_text(card.heading))
        band = f'<p class="band">{band}</p>'
        about = f'<p class="note">{_text(card.note)}</p>'
        seat = _said(N_("seat {name}"), name=_text(card.detail))
        detail = f'<p class="detail">{seat}</p>'
    else:
        band = f'<p class="title">{_text(title)}</p>'
        about = members
        detail = f'<p class="detail">{_text(card.detail)}</p>' if card.detail else ""
    kind = "card staff" if card.staff else "card"
    url = f'<span class="url">{_text(browser)}</span>'
    command = f'<span class="url">{_text(card.command)}</span>'
    label = _said(N_("Join code"))
    how = _said(N_("Scan the square, or open {url}\n      and type the code."), url=url)
    terminal = _said(N_("Terminal: {command}"), command=command)
    return f"""<section class="{kind}" data-seat="{_text(card.seat)}">
  {band}
  <div class="who">
    <h2>{_text(card.heading)}</h2>
    {detail}
    {about}
  </div>
  <a class="qr-box" href="{_text(card.link)}">{qr_svg(card.link)}</a>
  <div class="join">
    <p class="label">{label}</p>
    <p class="code">{_text(card.code)}</p>
    <p class="how">{how}</p>
    <p class="terminal">{terminal}</p>
  </div>
</section>"""


def render(cards: CardSet, paper: PaperName = "a4") -> str:
    """The whole page: every card, ``paper``-sized sheets, ready to print at 100 %."""
    sheet = PAPERS[paper]
    width, height = sheet.card_mm
    staff = [c for c in cards.cards if c.staff]
    teams = [c for c in cards.cards if not c.staff]
    sheets: list[str] = []
    for group in (staff, teams):
        for chunk in _chunks(group, sheet.per_sheet):
            inner = "\n".join(_card_html(c, cards.title, cards.browser) for c in chunk)
            sheets.append(f'<div class="sheet">\n{inner}\n</div>')
    count = ngettext("{n} team card", "{n} team cards", len(teams)).format(n=grouped(len(teams)))
    if staff:
        more = ngettext("{n} staff card", "{n} staff cards", len(staff)).format(
            n=grouped(len(staff))
        )
        count = _("{teams} and {staff}").format(teams=count, staff=more)
    intro = _said(
        N_(
            "{count} for {paper} paper, {per} a sheet. Print at 100 % (no\n"
            '"fit to page"), then cut along the dashed lines. Staff cards come first, on sheets'
            " of\ntheir own, framed in red: they see the answer keys."
        ),
        count=html.escape(count, quote=False),
        paper=html.escape(sheet.name, quote=False),
        per=str(sheet.per_sheet),
    )
    # Our own sentence, with its own emphasis (markup the catalog carries on purpose).
    private = _(
        "<strong>Keep these sheets private</strong>: a code lets whoever holds it act for\n"
        "that seat. Lost a card? Revoke its code in the control room and print again."
    )
    body = "\n".join(sheets)
    title = _text(cards.title)
    heading = _said(N_("Join cards: {title}"), title=title)
    return f"""<!DOCTYPE html>
<html lang="{current()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{heading}</title>
<style>
@page {{ size: {sheet.css}; margin: {sheet.margin_mm}mm; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111;
        -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
p, h2 {{ margin: 0; }}
.intro {{ max-width: {sheet.width_mm}mm; margin: 6mm auto; font-size: 3.6mm; line-height: 1.4; }}
.intro h1 {{ font-size: 5mm; margin: 0 0 2mm 0; }}
.sheet {{ display: grid; grid-template-columns: repeat({sheet.columns}, {width:.2f}mm);
          grid-template-rows: repeat({sheet.rows}, {height:.2f}mm);
          break-after: page; page-break-after: always; break-inside: avoid; }}
.sheet:last-child {{ break-after: auto; page-break-after: auto; }}
.card {{ position: relative; overflow: hidden; border: 0.25mm dashed #9a9a9a;
         padding: 3.5mm 4.5mm; display: grid; grid-template-columns: 1fr {QR_MM}mm;
         grid-template-rows: auto 1fr auto; column-gap: 3mm; row-gap: 1.2mm; }}
.title, .band {{ grid-column: 1 / 3; font-size: 2.6mm; letter-spacing: 0.02em;
                 white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: #555; }}
.band {{ background: #8b1a1a; color: #fff; font-weight: bold; text-transform: uppercase;
         padding: 0.8mm 2mm; margin: -1mm -2mm 0 -2mm; }}
.staff {{ border: 0.6mm solid #8b1a1a; }}
.who {{ grid-column: 1 / 3; grid-row: 2; min-width: 0; overflow: hidden; }}
.who h2 {{ font-size: 4.8mm; line-height: 1.15; overflow-wrap: anywhere;
           display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
           overflow: hidden; }}
.detail {{ font-size: 3.1mm; color: #333; margin-top: 0.6mm; overflow-wrap: anywhere;
           display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
           overflow: hidden; }}
.members, .note {{ font-size: 2.4mm; color: #444; margin-top: 0.8mm; overflow-wrap: anywhere;
                   display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical;
                   overflow: hidden; }}
.note {{ color: #8b1a1a; font-weight: bold; }}
.qr-box {{ grid-column: 2; grid-row: 3; align-self: end; display: block;
           width: {QR_MM}mm; height: {QR_MM}mm; }}
svg.qr {{ width: {QR_MM}mm; height: {QR_MM}mm; display: block; shape-rendering: crispEdges; }}
.join {{ grid-column: 1; grid-row: 3; min-width: 0; }}
.label {{ font-size: 2.3mm; text-transform: uppercase; letter-spacing: 0.08em; color: #555; }}
.code {{ font-family: "DejaVu Sans Mono", "Liberation Mono", Consolas, monospace;
         font-size: 5mm; font-weight: bold; letter-spacing: 0.04em; white-space: nowrap; }}
.how, .terminal {{ font-size: 2.3mm; color: #333; margin-top: 0.6mm; line-height: 1.3; }}
.terminal {{ color: #666; }}
.url {{ font-family: "DejaVu Sans Mono", "Liberation Mono", Consolas, monospace;
        overflow-wrap: anywhere; }}
@media screen {{
  body {{ background: #d9d9d9; }}
  .sheet {{ background: #fff; width: {sheet.width_mm}mm; min-height: {sheet.height_mm}mm;
            padding: {sheet.margin_mm}mm; margin: 0 auto 8mm auto;
            box-shadow: 0 0.5mm 2mm rgba(0, 0, 0, 0.25); }}
  .intro {{ background: #fff; padding: 4mm 6mm; }}
}}
@media print {{ .intro {{ display: none; }} }}
</style>
</head>
<body>
<div class="intro">
<h1>{heading}</h1>
<p>{intro}</p>
<p>{private}</p>
</div>
{body}
</body>
</html>
"""
