"""Planner tool tests run without animations: a sliding tab underline or a smooth
scroll would make the preview's snapshots depend on timing."""

from __future__ import annotations

import os

os.environ["TEXTUAL_ANIMATIONS"] = "none"
