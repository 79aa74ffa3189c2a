"""A person's file read as text: one decoding, one error that says where it is not UTF-8.

Planners hand sitroom files they saved themselves: a scenario, an include, a text
attachment, a roster, an MSEL sheet, the answers ``sitroom rubric`` grades, a file
holding a join code. Spreadsheets and old editors save them in their own code page
(Latin-1), or in UTF-16 (Excel's "Unicode Text", PowerShell's ``>``). Each of those
files is decoded here, by :func:`utf8_text`, and a file that is not UTF-8 raises
:class:`NotUtf8`, which names the file, the byte and the line (Python's own message,
``'utf-8' codec can't decode byte 0xe9 in position 25``, names neither the file nor
the line, and says nothing a planner can act on).

Callers that report problems as :class:`~engine.problems.Problem` (the scenario
loader, the MSEL import, the roster) keep their form and take the line, column and
byte from the error; the others print ``str(error)``.
"""

from __future__ import annotations

from engine.i18n import _

_WIDE_MARKS = (b"\xff\xfe", b"\xfe\xff")
"""The byte-order marks of UTF-16 (and UTF-32, whose little-endian mark starts the same)."""


class NotUtf8(ValueError):
    """A file that is not the text :func:`utf8_text` reads, and where it stops being so.

    ``str()`` is one line for the person who saved the file: ``answers.csv: not UTF-8
    text (byte 0xe9 on line 2): save it as UTF-8 (in Excel: …)``.
    """

    def __init__(
        self, name: str, raw: bytes, offset: int, *, encoding: str, wide: bool, sheet: bool
    ) -> None:
        self.name = name
        """The file as the person named it."""
        self.offset = offset
        """Where the first byte that cannot be read is (0-based)."""
        self.byte = raw[offset] if offset < len(raw) else 0
        self.line = raw.count(b"\n", 0, offset) + 1
        """1-based, as editors count (in a file read as UTF-16, the count means little:
        the MSEL import points at the sheet instead)."""
        start = raw.rfind(b"\n", 0, offset) + 1
        self.column = len(raw[start:offset].decode("utf-8", "replace")) + 1
        """1-based, in characters (those before it that are UTF-8)."""
        self.encoding = encoding
        """What the file was read as: ``UTF-8``, or ``UTF-16`` behind its byte-order mark."""
        self.wide = wide
        """The file looks like UTF-16 or UTF-32 (a byte-order mark, or NULs between letters)."""
        self.sheet = sheet
        super().__init__(name, offset)

    @property
    def hex(self) -> str:
        """The byte, as ``0xe9``."""
        return f"0x{self.byte:02x}"

    @property
    def advice(self) -> str:
        if self.sheet:
            return _("save it as UTF-8 (in Excel: Save As, CSV UTF-8)")
        return _("save it as UTF-8")

    @property
    def reason(self) -> str:
        """What is wrong without the file's name, for a ``Problem`` at the line."""
        return _("not {encoding} text (byte {byte}): {advice}").format(
            encoding=self.encoding, byte=self.hex, advice=self.advice
        )

    def __str__(self) -> str:
        return _("{name}: not {encoding} text (byte {byte} on line {line}): {advice}").format(
            name=self.name,
            encoding=self.encoding,
            byte=self.hex,
            line=self.line,
            advice=self.advice,
        )


def utf8_text(raw: bytes, name: str, *, sheet: bool = False, utf16: bool = False) -> str:
    """``raw`` as text: UTF-8, a leading byte-order mark dropped; or :class:`NotUtf8`.

    ``name`` is the file as the person gave it; ``sheet`` says it comes from a
    spreadsheet (the advice then says how Excel saves UTF-8). With ``utf16``, a file
    that starts with a UTF-16 byte-order mark is read as UTF-16 (Excel's "Unicode
    Text"); without it, such a file is refused at its first byte. UTF-16 without a
    mark (NULs between ASCII letters) would decode as UTF-8 full of NULs: it is
    refused at its first NUL.
    """
    if raw.startswith(_WIDE_MARKS):
        if not utf16:
            raise NotUtf8(name, raw, 0, encoding="UTF-8", wide=True, sheet=sheet)
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise NotUtf8(name, raw, exc.start, encoding="UTF-16", wide=True, sheet=sheet) from None
    if _looks_utf16(raw):
        raise NotUtf8(name, raw, raw.index(0), encoding="UTF-8", wide=True, sheet=sheet)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8(name, raw, exc.start, encoding="UTF-8", wide=False, sheet=sheet) from None


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of the first ones is NUL."""
    head = raw[:64]
    if len(head) < 4:
        return False
    return head[0::2].count(0) == len(head[0::2]) or head[1::2].count(0) == len(head[1::2])
