"""Icons and colours for channels, priorities and statuses, in one place.

Plain-width glyphs only (no emoji): terminals disagree on emoji widths, which
breaks alignment at 80 columns.
"""

from __future__ import annotations

from engine.i18n import N_

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
# Words are English source text marked with N_, translated where shown (_()).
CHANNEL_NAME = {
    "email": N_("Email"),
    "news": N_("News"),
    "social": N_("Social media"),
    "phone": N_("Phone call"),
    "alert": N_("Alert"),
    "ticket": N_("Ticket"),
    "document": N_("Document"),
    "chat": N_("Chat"),
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
    "open": N_("open"),
    "overdue": N_("OVERDUE"),
    "expired": N_("missed"),
    "answered": N_("answered"),
    "late": N_("answered late"),
}


def channel_icon(channel: str) -> str:
    return CHANNEL.get(channel, "•")
