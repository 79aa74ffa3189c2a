"""Icons and colours for channels, priorities and statuses, in one place.

Plain-width glyphs only (no emoji): terminals disagree on emoji widths, which
breaks alignment at 80 columns.
"""

from __future__ import annotations

CHANNEL = {
    "email": "✉",
    "news": "▤",
    "social": "#",
    "phone": "☏",
    "alert": "⚠",
    "ticket": "▣",
    "document": "▧",
    "chat": "»",
}
CHANNEL_NAME = {
    "email": "Email",
    "news": "News",
    "social": "Social media",
    "phone": "Phone call",
    "alert": "Alert",
    "ticket": "Ticket",
    "document": "Document",
    "chat": "Chat",
}
PRIORITY_STYLE = {"critical": "bold $error", "high": "bold $warning", "normal": "", "low": "dim"}
STATUS_STYLE = {
    "open": "$accent",
    "overdue": "bold $error",
    "expired": "$error",
    "answered": "$success",
    "late": "$warning",
}
STATUS_WORD = {
    "open": "open",
    "overdue": "OVERDUE",
    "expired": "missed",
    "answered": "answered",
    "late": "answered late",
}


def channel_icon(channel: str) -> str:
    return CHANNEL.get(channel, "•")
