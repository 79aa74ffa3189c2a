"""The consoles in a browser: textual-serve with a page of our own.

textual-serve's default page loads a font from Google, which a training room
behind a firewall (or a laptop on a plane) cannot reach, and which tells a third
party who is playing. Ours (``templates/app_index.html``) takes the same font
from textual-serve's own static folder, so every asset comes from the server
that runs the consoles: the page works offline and makes no outside request.
"""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""The folder textual-serve's ``Server(templates_path=...)`` reads ``app_index.html`` from."""
