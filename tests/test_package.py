"""Issue 12, bug 10: a tool install carries the scenario library.

Installed with pip outside the checkout, ``sitroom demo`` used to stop at once with
``…/site-packages/scenarios/summit-deepfake.yaml: no such scenario file``: the library
was not in the package. Here the wheel is built from a copy of the source (so the
shared working tree gets no ``build/``), installed into a fresh virtual environment
in a temporary folder (no system site-packages, nothing on PYTHONPATH), and run from
another temporary folder, as ``pipx install .`` or ``uv tool install .`` would run it.

Slow (a wheel and a venv, ~30 s with pip's cache warm): ``-m "not slow"`` skips it;
``make test`` runs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(
    ".git",
    ".venv",
    "__pycache__",
    "*.egg-info",
    "build",
    "dist",
    ".*_cache",
    "tests",
    "bench",
    "*.db*",
    "snapshot_report.html",
)

pytestmark = pytest.mark.slow


def run(*argv: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, f"{argv}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh venv holding only the wheel and its dependencies."""
    work = tmp_path_factory.mktemp("package")
    source = work / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=SKIP)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    run(*pip, "wheel", "--quiet", "--no-deps", "-w", work / "dist", source, cwd=work)
    (wheel,) = (work / "dist").glob("sitroom-*.whl")
    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    python = venv / "bin" / "python"
    # --no-compile: pip would byte-compile every dependency (11 of the install's 31 s);
    # the commands below compile only what they import.
    run(*pip, "--python", python, "install", "--quiet", "--no-compile", wheel, cwd=work)
    return venv / "bin"


def outside(bin_dir: Path, tmp_path: Path) -> dict[str, str]:
    """A shell's environment in which only the venv provides sitroom."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{bin_dir}:/usr/local/bin:/usr/bin:/bin"
    env["HOME"] = str(tmp_path)
    return env


def test_the_installed_package_lists_and_plays_its_scenarios(
    installed: Path, tmp_path: Path
) -> None:
    env = outside(installed, tmp_path)
    where = run("python", "-c", "import engine; print(engine.__file__)", cwd=tmp_path, env=env)
    assert where.startswith(str(installed.parent)) and str(ROOT) not in where, where

    # The demo finds its default scenario: it stopped here before the library shipped
    # ("…/site-packages/scenarios/summit-deepfake.yaml: no such scenario file").
    demo = run(
        "python",
        "-c",
        "import sys; from pathlib import Path; "
        "from engine.demo.session import DemoOptions, DemoSession; "
        "s = DemoSession(DemoOptions(log_dir=Path(sys.argv[1])), str); "
        "print(s.scenario.id); s.room.close_log()",
        tmp_path / "demo",
        cwd=tmp_path,
        env=env,
    )
    assert demo.strip() == "summit-deepfake"

    # The threat-id catalogue is package data (engine/scenario/catalog.yaml), not code.
    catalogue = run(
        "python",
        "-c",
        "from engine.scenario.catalog import is_known_atlas as k; "
        "print(k('AML.T0051'), k('AML.T9999'))",
        cwd=tmp_path,
        env=env,
    )
    assert catalogue.split() == ["True", "False"]

    listed = run("sitroom", "scenarios", cwd=tmp_path, env=env)
    assert "summit-deepfake          Deepfake at the summit" in listed
    assert "summit-flagship          Summit week: one crisis, five tracks" in listed
    assert listed.count(" injects · ") == len(list((ROOT / "scenarios").glob("*.yaml")))

    played = run(
        "sitroom", "dry-run", "--scenario", "summit-deepfake", "--teams", "2", cwd=tmp_path, env=env
    )
    assert played.startswith("summit-deepfake · Deepfake at the summit · 2h30m")
    assert "10 teams" in played and "\nScore spread" in played

    shown = run("sitroom", "preview", "summit-flagship", cwd=tmp_path, env=env)
    assert "Summit week" in shown.splitlines()[0] and "✓ valid" in shown.splitlines()[0]

    # Attachment files travel with the library (scenarios/media/<scenario>/): the
    # installed election-disinfo validates, its recording and still found and hashed.
    # (run fails the test on a non-zero exit: validate exits 1 when a file is missing.)
    run("sitroom", "validate", "election-disinfo", cwd=tmp_path, env=env)

    # The meaning grader runs from the wheel and its dependencies alone (the encoder's
    # weights, sentencepiece, threadpoolctl, the engine's forward pass): the suite's other
    # commands grade by keywords (tests/conftest.py), `sitroom rubric` always by meaning.
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "text\nThe power network is working as usual and nobody plans to cut electricity.\n",
        encoding="utf-8",
    )
    graded = run(
        "sitroom", "rubric", "summit-deepfake", "I-13.holding", answers, "--format", "json",
        cwd=tmp_path, env=env,
    )  # fmt: skip
    (verdict,) = json.loads(graded)
    assert verdict["grader"].startswith("use-m3/")
    assert any(e["how"] == "meaning" and e["credit"] > 0.5 for e in verdict["required"])
