"""Console tests run without animations: a sliding tab underline would make snapshots
depend on timing."""

from __future__ import annotations

import os

os.environ["TEXTUAL_ANIMATIONS"] = "none"
