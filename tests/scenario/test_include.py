"""``include:`` of actor and inject libraries (issue 16, "Reuse"), through the CLI.

A scenario lists YAML files whose objectives, actors and injects are merged into
it; problems are reported in the file that holds them; the event log stores and
hashes the resolved scenario, so a replay needs no other file; the MSEL export
says what came from where.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.eventlog import EventLog
from engine.replay import rebuild
from engine.scenario import load_bytes, load_file

ROOT = Path(__file__).resolve().parents[2]

MAIN = """\
# Control room: play the reporter as polite but persistent.
id: council-chatbot
title: The council chatbot talks too much
duration: 2h
include:
  - lib/actors.yaml
  - lib/injects.yaml
teams:
  - {id: it, name: Council IT security}
objectives:
  - {id: contain, title: Contain the leak}
injects:
  - id: I-01
    at: 5m
    to: [it]
    channel: ticket
    from: helpdesk
    title: A resident saw a neighbour's case
    expects:
      - id: first
        kind: decision
        objective: contain
        prompt: What do you do first?
        due: 10m
        options:
          - {id: offline, label: Take the chatbot offline, points: 10}
          - {id: watch, label: Keep it running, points: 2}
"""

ACTORS = """\
actors:
  - {id: helpdesk, name: Resident helpdesk, kind: internal}
  - {id: press, name: Local reporter, kind: press}
"""

INJECTS = """\
include: [actors.yaml]
injects:
  - id: I-02
    at: 20m
    to: [it]
    channel: news
    from: press
    title: "Local reporter: is the council leaking data?"
"""


def sitroom(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def folder(tmp_path: Path, **files: str) -> Path:
    """The scenario and its library under ``tmp_path``; ``files`` replace or add
    (``lib__actors`` is ``lib/actors.yaml``)."""
    texts = {"main": MAIN, "lib__actors": ACTORS, "lib__injects": INJECTS, **files}
    for key, text in texts.items():
        path = tmp_path / (key.replace("__", "/") + ".yaml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "main.yaml"


def problems(main: Path) -> list[str]:
    out = sitroom("validate", main.name, cwd=main.parent)
    assert out.returncode == 1, out.stdout + out.stderr
    return out.stdout.splitlines()


def test_included_actors_and_injects_are_merged(tmp_path: Path) -> None:
    main = folder(tmp_path)
    out = sitroom("validate", "--strict", main.name, cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    loaded = load_file(main)
    assert loaded.scenario is not None
    assert [a.id for a in loaded.scenario.actors] == ["helpdesk", "press"]
    # the scenario's own injects first, then each file's in the order listed
    assert [i.id for i in loaded.scenario.injects] == ["I-01", "I-02"]
    # lib/injects.yaml includes actors.yaml again: a file is merged once
    assert [(p.file, p.ids) for p in loaded.included] == [
        ("lib/actors.yaml", {"actors": ("helpdesk", "press")}),
        ("lib/injects.yaml", {"injects": ("I-02",)}),
    ]


def test_error_in_included_file_is_located_there(tmp_path: Path) -> None:
    actors = ACTORS.replace("kind: internal", "kind: internall").replace("kind: press}", "kynd: x}")
    main = folder(tmp_path, lib__actors=actors)
    assert problems(main) == [
        "lib/actors.yaml:2:51: actors[0].kind (helpdesk): 'internall' is not one of press, "
        "regulator, vendor, attacker, public, government, partner, internal, law-enforcement, "
        "other (did you mean 'internal'?)",
        "lib/actors.yaml:3:39: actors[1].kynd (press): unknown field 'kynd' (did you mean "
        "'kind'?); allowed here: id, name, kind, description",
    ]


def test_reference_error_in_included_file_is_located_there(tmp_path: Path) -> None:
    main = folder(tmp_path, lib__injects=INJECTS.replace("from: press", "from: pres"))
    assert problems(main) == [
        "lib/injects.yaml:7:11: injects[0].from (I-02): unknown actor 'pres' "
        "(did you mean 'press'?)"
    ]


def test_yaml_syntax_error_in_included_file(tmp_path: Path) -> None:
    main = folder(tmp_path, lib__actors="actors: [\n  {id: a, name: A}\n")
    [line] = problems(main)
    assert line.startswith("lib/actors.yaml:3:1: YAML syntax error")


def test_duplicate_id_between_files_names_both(tmp_path: Path) -> None:
    main = folder(tmp_path, lib__injects=INJECTS.replace("I-02", "I-01"))
    assert problems(main) == [
        "lib/injects.yaml:3:9: injects[0].id (I-01): duplicate inject id 'I-01' "
        "(first at line 13 of main.yaml)"
    ]


def test_cycle_is_refused_with_its_chain(tmp_path: Path) -> None:
    main = folder(tmp_path, lib__actors="include: [../main.yaml]\n" + ACTORS)
    assert problems(main) == [
        "lib/actors.yaml:1:11: include[0]: include cycle: main.yaml → lib/actors.yaml → main.yaml"
    ]


def test_missing_file(tmp_path: Path) -> None:
    main = folder(tmp_path, main=MAIN.replace("lib/injects.yaml", "lib/injets.yaml"))
    assert problems(main) == [
        "main.yaml:7:5: include[1]: cannot read included file lib/injets.yaml: "
        "No such file or directory"
    ]


def test_files_outside_the_scenario_folder_are_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.yaml").write_text(ACTORS, encoding="utf-8")
    main = folder(tmp_path / "exercise", main=MAIN.replace("lib/actors.yaml", "../elsewhere.yaml"))
    [line] = problems(main)
    assert line.startswith("main.yaml:6:5: include[0]: '../elsewhere.yaml' is outside")


def test_included_file_holds_only_libraries(tmp_path: Path) -> None:
    main = folder(tmp_path, lib__actors=ACTORS + "duration: 3h\n")
    assert problems(main) == [
        "lib/actors.yaml:4:1: duration: an included file holds only objectives, actors, "
        "injects, include; 'duration' belongs in the scenario"
    ]


def test_text_without_a_file_cannot_include() -> None:
    loaded = load_bytes(MAIN, "pasted.yaml")
    assert [p.format() for p in loaded.problems] == [
        "pasted.yaml:5:1: include: include: needs the scenario read from a file "
        "(its paths are relative to it)"
    ]


def _logged(main: Path, db: Path) -> EventLog:
    out = sitroom("dry-run", main.name, "--teams", "1", "--log", str(db), cwd=main.parent)
    assert out.returncode == 0, out.stdout + out.stderr
    return EventLog.open(db, readonly=True)


def test_log_holds_the_resolved_scenario_and_its_hash(tmp_path: Path) -> None:
    main = folder(tmp_path / "s")
    first = _logged(main, tmp_path / "a.db")
    # the log alone rebuilds the exercise: the included actors and injects are in it
    assert "Local reporter" in first.scenario_text
    assert "include" not in first.scenario_text.split("\n", 1)[1]
    assert first.scenario_text.startswith("# Control room: play the reporter")
    rebuild(first)
    again = _logged(main, tmp_path / "b.db")
    assert again.header["scenario_sha256"] == first.header["scenario_sha256"]
    # a change in an included file only changes the hash
    (tmp_path / "s" / "lib" / "actors.yaml").write_text(
        ACTORS.replace("Local reporter", "Local journalist"), encoding="utf-8"
    )
    changed = _logged(main, tmp_path / "c.db")
    assert changed.header["scenario_sha256"] != first.header["scenario_sha256"]
    report = sitroom("report", str(tmp_path / "c.db"), "--format", "md")
    assert report.returncode == 0, report.stderr


def test_scenario_without_includes_keeps_its_text_and_hash(tmp_path: Path) -> None:
    """Logs written before includes existed hold the file's own text: unchanged."""
    path = ROOT / "scenarios" / "summit-deepfake.yaml"
    loaded = load_file(path)
    assert loaded.text == path.read_text(encoding="utf-8")
    assert loaded.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_msel_export_states_what_came_from_where(tmp_path: Path) -> None:
    main = folder(tmp_path)
    out = sitroom("msel", "export", main.name, "-o", "msel.csv", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "msel.csv").read_text(encoding="utf-8"))))
    assert [r for r in rows if r and r[0] == "#included"] == [
        ["#included", "lib/actors.yaml", "actors", "helpdesk", "press"],
        ["#included", "lib/injects.yaml", "injects", "I-02"],
    ]
    back = sitroom("msel", "import", "msel.csv", "-q", "-o", "back.yaml", cwd=tmp_path)
    assert back.returncode == 0, back.stderr
    assert load_file(tmp_path / "back.yaml").scenario == load_file(main).scenario


YML_BLOCK = re.compile(r"^```yml\n# (\S+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def test_the_guides_include_example_validates(tmp_path: Path) -> None:
    """The guide's ```yml blocks are a scenario and its library, named on their first
    line: written out, they validate; with a duplicate id, the guide quotes the output."""
    guide = (ROOT / "scenarios" / "README.md").read_text(encoding="utf-8")
    blocks = {name: f"# {name}\n{body}" for name, body in YML_BLOCK.findall(guide)}
    assert sorted(blocks) == ["council-chatbot.yaml", "lib/outside-world.yaml"]
    main = folder(
        tmp_path, **{n.removesuffix(".yaml").replace("/", "__"): t for n, t in blocks.items()}
    )
    main = main.with_name("council-chatbot.yaml")
    out = sitroom("validate", "--strict", main.name, cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    library = tmp_path / "lib" / "outside-world.yaml"
    library.write_text(blocks["lib/outside-world.yaml"].replace("DPA-01", "I-01"), "utf-8")
    [line] = problems(main)
    quoted = re.search(r"\(`(lib/outside-world.yaml:.*?)`\)", guide, re.DOTALL)
    assert quoted is not None
    assert line == " ".join(quoted.group(1).split())


def test_preview_quotes_the_included_file(tmp_path: Path) -> None:
    main = folder(tmp_path, lib__injects=INJECTS.replace("from: press", "from: pres"))
    out = sitroom("preview", "--text", main.name, cwd=tmp_path)
    problems = out.stdout[out.stdout.index("Problems (1)") :].splitlines()
    assert [line.strip() for line in problems[1:5]] == [
        "✗ 7:11 injects[0].from: unknown actor 'pres' (did you mean 'press'?) (in I-02)",
        "in lib/injects.yaml",
        "5 │     to: [it]",
        "6 │     channel: news",
    ]
    assert problems[5].strip() == "7 │     from: pres"


def test_resolved_text_reads_back_as_the_same_scenario(tmp_path: Path) -> None:
    """What the log stores (YAML written by the loader) is every library scenario again:
    dates, quoted numbers, anchors and multi-line bodies survive."""
    shutil.copytree(ROOT / "scenarios" / "media", tmp_path / "media")  # attachment files
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        copy = tmp_path / path.name
        copy.write_text(
            path.read_text(encoding="utf-8") + "include: [empty.yaml]\n", encoding="utf-8"
        )
        (tmp_path / "empty.yaml").write_text("actors: []\n", encoding="utf-8")
        loaded = load_file(copy)
        assert loaded.ok, [p.format() for p in loaded.problems]
        assert loaded.text != copy.read_text(encoding="utf-8")
        assert load_bytes(loaded.text).scenario == load_file(path).scenario, path.name


# ------------------------------------------------------- review: paths, files, links


def test_control_characters_in_an_include_path_are_refused(tmp_path: Path) -> None:
    """A NUL byte used to crash validate with ``ValueError: embedded null byte``."""
    main = folder(tmp_path, main=MAIN.replace("- lib/actors.yaml", '- "lib/act\\0ors.yaml"'))
    out = problems(main)
    assert out[0].startswith("main.yaml:6:5: include[0]: an include path holds no control")
    assert "Traceback" not in "\n".join(out)
    tab = load_file(folder(tmp_path, main=MAIN.replace("- lib/actors.yaml", '- "lib/\\tx"')))
    assert [p.message.split(" (")[0] for p in tab.problems][:1] == [
        "an include path holds no control characters"
    ]


def test_a_fifo_is_refused_without_reading_it(tmp_path: Path) -> None:
    """Reading a FIFO blocks until someone writes: validate used to hang forever."""
    main = folder(tmp_path)
    (tmp_path / "lib" / "actors.yaml").unlink()
    os.mkfifo(tmp_path / "lib" / "actors.yaml")
    out = subprocess.run(
        [sys.executable, "-m", "tui.cli", "validate", main.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=20,
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert out.stdout.splitlines()[0] == (
        "main.yaml:6:5: include[0]: cannot include lib/actors.yaml: not a regular file"
    )


def test_included_files_together_stay_under_the_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file's size is checked before it is read, against what is left of the
    loader's byte limit once the files before it are counted."""
    main = folder(tmp_path)
    limit = len(MAIN.encode()) + len(INJECTS.encode()) + 10
    monkeypatch.setattr("engine.scenario.include.MAX_BYTES", limit)
    loaded = load_file(main, "main.yaml")
    assert [p.format() for p in loaded.problems] == [
        f"main.yaml:7:5: include[1]: cannot include lib/injects.yaml: with the files before "
        f"it the scenario would pass the limit of {limit:,} bytes"
    ]


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text(ACTORS, encoding="utf-8")
    main = folder(tmp_path / "exercise")
    (main.parent / "lib" / "actors.yaml").unlink()
    (main.parent / "lib" / "actors.yaml").symlink_to(tmp_path / "secret.yaml")
    lines = problems(main)
    assert lines[0].startswith("main.yaml:6:5: include[0]: 'lib/actors.yaml' is outside")
    assert lines[1].startswith("lib/injects.yaml:1:11: include[0]: 'actors.yaml' is outside")


def test_a_symlink_alias_is_merged_once(tmp_path: Path) -> None:
    """Two names of one file are one file: merging it twice made duplicate ids."""
    main = folder(tmp_path, main=MAIN.replace("- lib/injects.yaml", "- lib/alias.yaml"))
    (tmp_path / "lib" / "alias.yaml").symlink_to("actors.yaml")
    loaded = load_file(main)
    assert loaded.ok, [p.format() for p in loaded.problems]
    assert loaded.scenario is not None
    assert [a.id for a in loaded.scenario.actors] == ["helpdesk", "press"]


def test_a_loop_through_a_directory_link_is_a_cycle(tmp_path: Path) -> None:
    """``lib/up -> ..``: ``lib/up/lib/actors.yaml`` is ``lib/actors.yaml`` itself."""
    main = folder(tmp_path, lib__actors="include: [up/lib/actors.yaml]\n" + ACTORS)
    (tmp_path / "lib" / "up").symlink_to("..")
    assert problems(main) == [
        "lib/actors.yaml:1:11: include[0]: include cycle: lib/actors.yaml → lib/up/lib/actors.yaml"
    ]


def test_an_empty_or_list_library_is_told_what_a_library_holds(tmp_path: Path) -> None:
    main = folder(tmp_path, lib__actors="# nothing yet\n")
    assert problems(main) == [
        "lib/actors.yaml:0:0: file is empty: an included file holds objectives, actors, "
        "injects or include"
    ]
    main = folder(tmp_path, lib__actors="- {id: a, name: A}\n")
    [line] = problems(main)
    assert line == (
        "lib/actors.yaml:1:1: the top level must be a mapping of sections (objectives: …, "
        "actors: …, injects: …, include: …), not a list (the top level starts with '-')"
    )


# ------------------------------------------------------------ review: resolved text


def test_resolved_text_is_json_after_the_leading_comments(tmp_path: Path) -> None:
    """JSON (which YAML reads) is written the same by every PyYAML version, and fast;
    dates, odd floats and characters YAML will not take raw still read back."""
    main = folder(tmp_path)
    loaded = load_file(main)
    head, body = loaded.text.split("\n", 1)
    assert head == "# Control room: play the reporter as polite but persistent."
    data = json.loads(body)
    assert [a["id"] for a in data["actors"]] == ["helpdesk", "press"]
    odd = MAIN.replace("duration: 2h", "duration: 2h\nstart: 2026-03-14 09:00:00+01:00")
    odd = odd.replace(
        "title: A resident saw a neighbour's case",
        'title: "A resident\\x85 saw\\u2028 a \\x7f case"',
    )
    loaded = load_file(folder(tmp_path, main=odd))
    assert loaded.ok, [p.format() for p in loaded.problems]
    json.loads(loaded.text.split("\n", 1)[1])
    again = load_bytes(loaded.text)
    assert again.scenario == loaded.scenario


async def test_preview_reloads_when_an_included_file_changes(tmp_path: Path) -> None:
    from tui.preview.app import PreviewApp, make_preview_app

    main = folder(tmp_path)
    app = make_preview_app(main, poll=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(400):
            await pilot.pause()
            if app.loads >= 1:
                break
        assert isinstance(app, PreviewApp) and app.preview is not None
        assert app.preview.errors == 0
        library = tmp_path / "lib" / "injects.yaml"
        library.write_text(INJECTS.replace("from: press", "from: pres"), encoding="utf-8")
        stat = library.stat()  # a new mtime even on a coarse clock
        os.utime(library, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        for _ in range(400):
            await pilot.pause()
            if app.loads >= 2:
                break
        assert app.loads == 2 and app.preview.errors == 1


def test_validating_the_folder_checks_library_files_with_their_scenario(tmp_path: Path) -> None:
    """``sitroom validate FOLDER`` meets the library files too: each is checked as part
    of the scenario that includes it, not reported as a broken scenario of its own; a
    problem in it is still reported, in it."""
    folder(tmp_path)
    out = sitroom("validate", "--strict", ".", cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout == ""
    assert "lib/actors.yaml: included by main.yaml: checked with it" in out.stderr
    assert "1 file checked (and 2 included files): all valid" in out.stderr
    report = json.loads(sitroom("validate", "--format", "json", ".", cwd=tmp_path).stdout)
    assert report["ok"] and {f["file"]: f.get("included_by") for f in report["files"]} == {
        "main.yaml": None,
        "lib/actors.yaml": "main.yaml",
        "lib/injects.yaml": "main.yaml",
    }
    folder(tmp_path, lib__actors="actors:\n  - {id: helpdesk, name: ''}\n")
    broken = sitroom("validate", ".", cwd=tmp_path)
    assert broken.returncode == 1
    assert broken.stdout.startswith("lib/actors.yaml:2:")


def test_files_that_include_each_other_are_checked_as_scenarios(tmp_path: Path) -> None:
    """A cycle has no scenario to check its files with: each stays, with its error."""
    folder(tmp_path, lib__actors="include: [injects.yaml]\nactors: []\n")
    out = sitroom("validate", "lib/actors.yaml", "lib/injects.yaml", cwd=tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "include cycle" in out.stdout
