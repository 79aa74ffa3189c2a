"""The ``sitroom`` command line.

Only argparse is imported at start-up; each command's module (and with it
pydantic, SimPy, aiohttp or Textual) is imported when that command runs, so
``sitroom validate`` starts in a fraction of a second.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

Handler = Callable[[argparse.Namespace], int]


def _lazy(module: str) -> Handler:
    def run(args: argparse.Namespace) -> int:
        mod = importlib.import_module(f"tui.commands.{module}")
        result: int = mod.run(args)
        return result

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitroom",
        description="Cyber-crisis tabletop exercises about AI-security incidents.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("validate", help="check scenario files and report every problem")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR", help="scenario files or folders")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--quiet", "-q", action="store_true", help="print problems only")
    p.set_defaults(handler=_lazy("validate"))

    p = sub.add_parser("schema", help="write the scenario JSON Schema (for editors)")
    p.add_argument("--out", "-o", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(handler=_lazy("schema"))

    p = sub.add_parser("new", help="write a commented starter scenario that validates")
    p.add_argument("file", nargs="?", help="where to write it (default: stdout)")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(handler=_lazy("new"))

    p = sub.add_parser("dry-run", help="rehearse a scenario with bot teams, faster than real time")
    p.add_argument("file", metavar="FILE", help="the scenario")
    p.add_argument(
        "--teams",
        metavar="N|ROLE=N,…",
        help="teams per role: a number for every role, or counts per role",
    )
    p.add_argument("--roster", metavar="CSV", help="a roster (team,role,name,members)")
    p.add_argument(
        "--profile",
        default="mix",
        help="bot behaviour: diligent, slow, erratic, silent, mix, or a list (default mix)",
    )
    p.add_argument("--seed", type=int, help="seed (default: the scenario's)")
    p.add_argument("--log", metavar="DB", help="write the event log here")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=_lazy("dryrun"))

    p = sub.add_parser("serve", help="run a live exercise server and print the join codes")
    p.add_argument("file", metavar="SCENARIO", help="the scenario")
    p.add_argument("--db", required=True, metavar="DB", help="the event log (created, or resumed)")
    p.add_argument(
        "--teams",
        metavar="N|ROLE=N,…",
        help="teams per role: a number for every role, or counts per role",
    )
    p.add_argument("--roster", metavar="CSV", help="a roster (team,role,name,members)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8470, help="port (default 8470; 0: any free)")
    p.add_argument("--cert", metavar="PEM", help="TLS certificate (serve https/wss)")
    p.add_argument("--key", metavar="PEM", help="TLS private key")
    p.add_argument(
        "--resume", action="store_true", help="continue the exercise in --db after a stop or crash"
    )
    p.add_argument("--speed", type=float, help="exercise seconds per wall second (default 1)")
    p.add_argument("--facilitators", type=int, default=1, metavar="N", help="facilitator seats")
    p.add_argument("--evaluators", type=int, default=1, metavar="N", help="evaluator seats")
    p.add_argument("--observers", type=int, default=1, metavar="N", help="observer seats")
    p.add_argument("--quiet", "-q", action="store_true", help="do not print the codes")
    p.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    p.set_defaults(handler=_lazy("serve"))

    p = sub.add_parser(
        "join", help="open your console: team, evaluator or observer (asks what is missing)"
    )
    p.add_argument("url", nargs="?", metavar="URL", help="the server, e.g. http://host:8470")
    p.add_argument("--code", metavar="CODE", help="your join code (from the facilitator)")
    p.add_argument("--name", metavar="NAME", help="your name, as your team will see it")
    p.set_defaults(handler=_lazy("join"))

    p = sub.add_parser("facilitate", help="open the facilitator console (the control room)")
    p.add_argument("url", nargs="?", metavar="URL", help="the server, e.g. http://host:8470")
    p.add_argument("--code", metavar="CODE", help="the facilitator's join code")
    p.add_argument("--name", metavar="NAME", help="your name, as the log records it")
    p.set_defaults(handler=_lazy("facilitate"))

    p = sub.add_parser(
        "demo", help="a live exercise in one command: you play one team, bots the others"
    )
    p.add_argument("--scenario", metavar="FILE", help="the scenario (default summit-deepfake)")
    p.add_argument("--team", metavar="TEAM", help="the team you play (default: the first)")
    p.add_argument("--name", default="you", help="your name in the exercise (default: you)")
    p.add_argument(
        "--speed",
        type=float,
        default=30.0,
        help="exercise seconds per wall second (default 30: 2 h 30 of play in 5 minutes)",
    )
    p.add_argument(
        "--dir", metavar="DIR", help="where the log and the report go (default: a new temp folder)"
    )
    p.add_argument(
        "--paused", action="store_true", help="do not start the clock: start it in the control room"
    )
    p.add_argument("--bots", default="mix", help="bot profiles, as for dry-run (default mix)")
    p.add_argument(
        "--port", type=int, default=0, help="port of the demo's server (default: any free one)"
    )
    p.set_defaults(handler=_lazy("demo"))

    p = sub.add_parser("web", help="serve the consoles in a browser (each tab asks for its code)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8471, help="port (default 8471)")
    p.add_argument(
        "--server", metavar="URL", help="exercise server to fill in on each tab's login screen"
    )
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when not http://HOST:PORT (a proxy, say)",
    )
    p.set_defaults(handler=_lazy("web"))

    p = sub.add_parser("report", help="write the after-action report of an exercise log")
    p.add_argument("log", metavar="LOG.db", help="the event log (finished or still being written)")
    p.add_argument(
        "--format",
        choices=("md", "html", "json", "csv", "all"),
        default="md",
        help="md (default), html (one self-contained file), json, csv, or all (needs --out)",
    )
    p.add_argument(
        "--out", "-o", metavar="DIR", help="write DIR/<log name>.<format> instead of stdout"
    )
    p.set_defaults(handler=_lazy("report"))

    p = sub.add_parser("msel", help="the scenario as an MSEL spreadsheet (CSV), and back")
    msel = p.add_subparsers(dest="action", metavar="ACTION")
    msel.required = True
    q = msel.add_parser("export", help="write a scenario's MSEL as CSV (HSEEP columns + sitroom's)")
    q.add_argument("file", metavar="FILE", help="the scenario (YAML)")
    q.add_argument("--out", "-o", metavar="CSV", help="write to CSV instead of stdout")
    q.add_argument("--bom", action="store_true", help="UTF-8 byte-order mark and CRLF, for Excel")
    q.set_defaults(handler=_lazy("msel"))
    q = msel.add_parser("import", help="build a scenario (YAML) from an MSEL sheet (CSV)")
    q.add_argument("file", metavar="CSV", help="the sheet, from sitroom or a HSEEP template")
    q.add_argument("--out", "-o", metavar="FILE", help="write to FILE instead of stdout")
    q.add_argument(
        "--start", metavar="HH:MM", help="start time of day, for clock times such as 09:30"
    )
    q.add_argument("--quiet", "-q", action="store_true", help="print problems only")
    q.set_defaults(handler=_lazy("msel"))

    p = sub.add_parser("preview", help="watch a scenario: timeline, branches, load, problems")
    p.add_argument(
        "file", metavar="FILE", help="the scenario; the preview reloads when it is saved"
    )
    p.add_argument(
        "--poll", type=float, default=1.0, metavar="SECONDS", help="how often to check the file"
    )
    p.set_defaults(handler=_lazy("preview"))

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
