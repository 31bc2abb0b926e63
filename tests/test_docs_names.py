"""Every name the documentation uses exists (issue 25): ``mc.<name>``, dotted
``mineralcalc.<module>.<name>`` paths, the methods called on a demand ``d.<method>(...)``,
and every command line shown parses. Read from the README, the site's pages and notebooks,
and the examples, so a rename that leaves the docs behind fails here."""

from __future__ import annotations

import importlib
import json
import re
import shlex
from pathlib import Path

import pytest

import mineralcalc as mc
from mineralcalc.cli import parser

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ("_build", "generated", "gallery", "jupyter_execute", "tests")
COMMANDS = ("report", "validate", "products", "explain", "supply", "security")


def _text(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        return "\n".join("".join(c["source"]) for c in cells)
    return path.read_text()


def _documents() -> list[Path]:
    docs = [
        p
        for p in (ROOT / "docs").rglob("*")
        if p.suffix in (".md", ".rst", ".ipynb", ".py")
        and not any(part in GENERATED for part in p.relative_to(ROOT / "docs").parts)
    ]
    readmes = [ROOT / "README.md", ROOT / "tables" / "README.md"]
    return sorted([*readmes, *docs, *(ROOT / "examples").glob("*.py")])


DOCS = _documents()
TEXTS = {p.relative_to(ROOT).as_posix(): _text(p) for p in DOCS}


def _resolve(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


def _uses(pattern: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for where, text in TEXTS.items():
        for m in re.finditer(pattern, text):
            found.setdefault(m.group(1), set()).add(where)
    return found


def test_the_documents_are_read():
    assert len(DOCS) >= 20  # README, tables README, pages, examples
    assert any(k.startswith("docs/howto/") for k in TEXTS)


def test_every_mc_name_exists():
    uses = _uses(r"(?<![\w.])mc\.([A-Za-z_]\w*)")
    missing = {n: sorted(w) for n, w in uses.items() if not hasattr(mc, n)}
    assert len(uses) >= 15
    assert not missing, missing


def test_every_dotted_mineralcalc_path_exists():
    # ``mineralcalc.<x>.<y>`` in prose, roles and code; file names (mineralcalc.toml) excluded
    uses = _uses(r"(?<![\w./-])(mineralcalc(?:\.[A-Za-z_]\w*)+)(?![\w-]*\.(?:toml|csv|png))")
    missing = {n: sorted(w) for n, w in uses.items() if not _resolve(n)}
    assert len(uses) >= 10
    assert not missing, missing


def test_every_method_called_on_a_demand_exists():
    uses = _uses(r"(?<![\w.])d\.([a-z_]\w*)\(")
    missing = {n: sorted(w) for n, w in uses.items() if not hasattr(mc.Demand, n)}
    assert len(uses) >= 8
    assert not missing, missing


def _command_lines() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    pattern = rf"(?:^|[\s`!$(])mineralcalc ((?:{'|'.join(COMMANDS)})\b[^`\n|>#]*)"
    for where, text in TEXTS.items():
        for m in re.finditer(pattern, text, flags=re.MULTILINE):
            line = m.group(1).split(";")[0].strip().rstrip(".,:)")
            if any(mark in line for mark in ("...", "FILE", "[", "{")):
                continue  # a synopsis (``report [--elements ...]``, ``{mined,gross}``)
            if line in COMMANDS:
                continue  # the command named in prose, not a call
            found.setdefault(line, set()).add(where)
    return found


COMMAND_LINES = _command_lines()


def test_command_lines_are_found():
    assert len(COMMAND_LINES) >= 15


@pytest.mark.parametrize("line", sorted(COMMAND_LINES))
def test_every_command_line_shown_parses(line, capsys):
    try:
        args = shlex.split(line)
    except ValueError:
        pytest.fail(f"unbalanced quotes in {line!r} ({sorted(COMMAND_LINES[line])})")
    try:
        parser().parse_args(args)
    except SystemExit:
        err = capsys.readouterr().err.strip().splitlines()[-1:]
        pytest.fail(f"{line!r} in {sorted(COMMAND_LINES[line])} does not parse: {err}")


def test_the_api_reference_lists_every_public_name():
    """``docs/reference/api.rst``'s autosummary is the site's API page: every name of
    ``mc.__all__`` and nothing else."""
    text = (ROOT / "docs" / "reference" / "api.rst").read_text()
    listed = set(re.findall(r"^   (\w+)$", text, flags=re.MULTILINE))
    public = set(mc.__all__) - {"__version__"}
    assert listed == public, (sorted(public - listed), sorted(listed - public))
