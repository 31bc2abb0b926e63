"""Fuzz targets for the loaders: only MineralcalcError may escape.

Shared by the bounded fuzz test in the suite (``test_fuzz.py``) and the long run
(``fuzz/fuzz_loaders.py``). Inputs are mutations of the shipped tables and scenarios (byte
flips, dropped and duplicated lines, cells replaced by hostile values, truncation, other
encodings) and hypothesis-generated amount strings and item definitions.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import strategies as st

import mineralcalc as mc
from mineralcalc.data.catalog_tables import shipped_tables

SHIPPED = shipped_tables()
TABLE_FILES = ("sources.csv", "items.csv", "parts.csv")
SCENARIOS = sorted((SHIPPED / "scenarios").glob("*.toml"))
HOSTILE = [
    "", " ", "nan", "inf", "-inf", "1e999", "-1", "0", "1e-320", "balance", "=1+1", "@SUM(A1)",
    "kg", "kg/MW", "m", "%", "1 to", "to 2", "3 ± ", "2 (1 to", ",", '"', '""', "\\n", "\x00",
    "é", "🙂", "'", "NaN kg", "1,000", "1_000", "0x10", "True", "None", "[1, 2]", "{}", "smartphone",
    "Nd", " Nd", "Nd ", "ndfeb_magnet", "*", "9" * 400, "-0", "1e15", "1e16", "year", "2024",
    "1899", "2201", "unit", "GW", "t", "kt",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, text: bytes) -> bytes:
    """A mutation of ``text``: a few edits of lines, cells and bytes."""
    lines = text.split(b"\n")
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["drop", "dup", "cell", "flip", "insert", "truncate", "swap"]))
        if not lines:
            break
        k = draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            lines.pop(k)
        elif op == "dup":
            lines.insert(k, lines[k])
        elif op == "cell":
            cells = lines[k].split(b",")
            j = draw(st.integers(0, len(cells) - 1))
            cells[j] = draw(st.sampled_from(HOSTILE)).encode("utf-8", "surrogatepass")
            lines[k] = b",".join(cells)
        elif op == "flip":
            line = bytearray(lines[k])
            if line:
                j = draw(st.integers(0, len(line) - 1))
                line[j] = draw(st.integers(0, 255))
            lines[k] = bytes(line)
        elif op == "insert":
            lines.insert(k, draw(st.binary(max_size=40)))
        elif op == "truncate":
            lines = lines[:k]
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[k], lines[j] = lines[j], lines[k]
    out = b"\n".join(lines)
    if draw(st.booleans()) and draw(st.booleans()):
        out = out.decode("utf-8", "replace").encode(
            draw(st.sampled_from(["utf-16", "latin-1", "utf-8-sig"])), "replace"
        )
    return out


def table_case() -> st.SearchStrategy[tuple[str, bytes, bool]]:
    """(which file, its mutated bytes, merge over the shipped catalog)."""
    return st.sampled_from(TABLE_FILES).flatmap(
        lambda name: st.tuples(st.just(name), mutated((SHIPPED / name).read_bytes()), st.booleans())
    )


def scenario_case() -> st.SearchStrategy[bytes]:
    return st.sampled_from(SCENARIOS).flatmap(lambda p: mutated(p.read_bytes()))


def run_table(name: str, data: bytes, merge: bool) -> str:
    """Load shipped tables with one file replaced; returns 'ok' or the error class name."""
    with tempfile.TemporaryDirectory() as folder:
        for other in TABLE_FILES:
            (Path(folder) / other).write_bytes((SHIPPED / other).read_bytes())
        (Path(folder) / name).write_bytes(data)
        try:
            cat = mc.Catalog.from_tables(folder, merge=merge)
            for pid in list(cat.products)[:3]:
                cat.intensity(pid)
        except mc.MineralcalcError as e:
            return type(e).__name__
    return "ok"


def run_scenario(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.toml"
        path.write_bytes(data)
        try:
            d = mc.demand(mc.load_scenario(path))
            d.compare()
        except mc.MineralcalcError as e:
            return type(e).__name__
    return "ok"


def run_amount(text: str) -> str:
    try:
        mc.parse_amount(text)
    except mc.MineralcalcError as e:
        return type(e).__name__
    return "ok"


amount_text = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda a, sep, b, u: f"{a}{sep}{b} {u}",
        st.sampled_from(["1", "-2", "1e3", "0", "nan", "1,000", ".5", "3.", "1e-400"]),
        st.sampled_from([" to ", "-", "–", "..", " ± ", " (", ""]),
        st.sampled_from(["2", "3)", "", "1e308", "-1"]),
        st.sampled_from(HOSTILE),
    ),
)


@st.composite
def item_case(draw: st.DrawFn) -> tuple[str, str, dict[str, object]]:
    item_id = draw(st.sampled_from(["x", " x", "", "Nd", "x\n", "gadget"]))
    basis = draw(st.sampled_from(["unit", "kg", "MW", "m", "kgg", "", "%"]))
    parts = draw(
        st.dictionaries(
            st.sampled_from(["Nd", "Fe", "x", "gadget", "ndfeb_magnet", "nope", " Nd"]),
            st.one_of(
                amount_text, st.floats(allow_nan=True), st.integers(), st.none(), st.just("balance")
            ),
            max_size=4,
        )
    )
    return item_id, basis, parts


def run_item(item_id: str, basis: str, parts: dict[str, object]) -> str:
    try:
        mc.Catalog.default().add(mc.Item(item_id, basis, parts), replace=True)
    except mc.MineralcalcError as e:
        return type(e).__name__
    return "ok"
