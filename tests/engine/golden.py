"""Golden traces: a dry-run's event list per bundled scenario, stored and compared exactly.

Like SimPy's own documentation examples, every scenario's play is pinned: a change
in play order, timing or branching shows up as a diff of a readable text file.

Regenerate after an intended change with ``make golden`` (``python -m
tests.engine.golden --update``) and review the diff before committing it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine.bots import profile_for
from engine.dryrun import dry_run
from engine.durations import format_clock
from engine.roster import roster_from_counts
from engine.scenario import load_file

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
TEAMS_PER_ROLE = 2


def scenario_files() -> list[Path]:
    return sorted((ROOT / "scenarios").glob("*.yaml"))


def trace(path: Path) -> str:
    """The dry-run of ``path`` (two teams per role, mixed bots, the scenario's seed) as text."""
    scenario = load_file(path).require()
    roster = roster_from_counts(scenario, TEAMS_PER_ROLE)
    profiles = {s.id: profile_for(i, "mix") for i, s in enumerate(roster.teams)}
    result = dry_run(scenario, roster, profiles, seed=scenario.seed)
    lines = [
        f"# {scenario.id}: dry-run, {TEAMS_PER_ROLE} teams per role, profile mix, "
        f"seed {scenario.seed}"
    ]
    for event in result.events:
        payload = json.dumps(
            event.payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        lines.append(f"{format_clock(event.t)}.{event.t % 1000:03d} {event.kind} {payload}")
    return "\n".join(lines) + "\n"


def golden_path(path: Path) -> Path:
    return GOLDEN / f"{path.stem}.trace"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", help="rewrite the stored traces")
    args = parser.parse_args()
    changed = 0
    for path in scenario_files():
        text = trace(path)
        target = golden_path(path)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            changed += 1
            if args.update:
                target.write_text(text, encoding="utf-8")
            print(f"{'updated' if args.update else 'differs'}: {target.relative_to(ROOT)}")
    stale = {p.stem for p in GOLDEN.glob("*.trace")} - {p.stem for p in scenario_files()}
    for stem in sorted(stale):
        print(f"stale (no such scenario): tests/golden/{stem}.trace")
        if args.update:
            (GOLDEN / f"{stem}.trace").unlink()
    return 0 if args.update or not changed else 1


if __name__ == "__main__":
    sys.exit(main())
