"""Tests of :mod:`coopgame.core.formatting`: Markdown and LaTeX tables, and games rendered as tables."""

import re

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgame import Game
from coopgame.core.formatting import (
    cell_latex,
    cell_text,
    game_latex,
    game_latex_array,
    game_markdown,
    latex_table,
    markdown_table,
)

x = sympy.Symbol("x_1", real=True)


def test_markdown_table_exact():
    assert markdown_table(["a", "b"], [[1, sympy.Rational(1, 2)], ["p|q", x]]) == (
        "| a | b |\n"
        "|---|---|\n"
        "| 1 | 1/2 |\n"
        "| p\\|q | x_1 |"
    )


def test_latex_table_exact():
    assert latex_table(["name", "value", x], [["R&D", sympy.Rational(1, 2)], ["50%", 3]], align="lrr") == (
        "\\begin{tabular}{lrr}\n"
        "\\toprule\n"
        "name & value & $x_{1}$ \\\\\n"
        "\\midrule\n"
        "R\\&D & $\\frac{1}{2}$ \\\\\n"
        "50\\% & $3$ \\\\\n"
        "\\bottomrule\n"
        "\\end{tabular}"
    )


@pytest.mark.parametrize("text,escaped", [
    ("a_b", r"a\_b"),
    ("R&D", r"R\&D"),
    ("$5", r"\$5"),
    ("50%", r"50\%"),
    ("#1", r"\#1"),
    ("{x}", r"\{x\}"),
    ("~", r"\textasciitilde{}"),
    ("^", r"\textasciicircum{}"),
    ("a\\b", r"a\textbackslash{}b"),
    ("a|b", r"a\textbar{}b"),
    ("a<b>c", r"a\textless{}b\textgreater{}c"),
    ("two\nlines", "two lines"),
])
def test_cell_latex_escapes_text(text, escaped):
    assert cell_latex(text) == escaped


def test_cell_latex_numbers_and_sympy():
    assert cell_latex(3) == "$3$"
    assert cell_latex(2.5) == "$2.5$"
    assert cell_latex(True) == "True"  # a boolean is text, not a number
    assert cell_latex(sympy.sqrt(2) / 2) == "$\\frac{\\sqrt{2}}{2}$"


def test_cell_text():
    assert cell_text("a|b") == "a\\|b"
    assert cell_text("two\nlines") == "two lines"
    assert cell_text(sympy.Rational(-1, 3)) == "-1/3"


_LATEX_SPECIALS = set("\\&%$#_{}~^|<>")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii", exclude_categories=("Cc",)), max_size=40))
def test_escaped_text_has_no_bare_specials(text):
    # after removing the escape sequences nothing special to LaTeX is left
    out = cell_latex(text)
    stripped = re.sub(r"\\(text[a-z]+\{\}|[&%$#_{}])", "", out)
    assert not (_LATEX_SPECIALS & set(stripped)), out


# ---------------------------------------------------------------------------- games
SE = Game(
    ["school", "enterprise"],
    {"school": ["deep", "shallow"], "enterprise": ["participate", "nominal"]},
    {("deep", "participate"): ["R_s - C_s", "R_e - C_e"], ("deep", "nominal"): ["-C_s", "R_e/2"],
     ("shallow", "participate"): ["R_s/2", "-C_e"], ("shallow", "nominal"): [0, 0]},
    name="school-enterprise",
)


def test_game_markdown_two_players_exact():
    assert game_markdown(SE) == (
        "**school-enterprise**\n\n"
        "| school \\ enterprise | participate | nominal |\n"
        "|---|---|---|\n"
        "| deep | (-C_s + R_s, -C_e + R_e) | (-C_s, R_e/2) |\n"
        "| shallow | (R_s/2, -C_e) | (0, 0) |"
    )


def test_game_latex_two_players_exact():
    assert game_latex(SE) == (
        "\\begin{tabular}{lcc}\n"
        "\\toprule\n"
        "school / enterprise & participate & nominal \\\\\n"
        "\\midrule\n"
        "deep & $(- C_{s} + R_{s},\\ - C_{e} + R_{e})$ & $(- C_{s},\\ \\frac{R_{e}}{2})$ \\\\\n"
        "shallow & $(\\frac{R_{s}}{2},\\ - C_{e})$ & $(0,\\ 0)$ \\\\\n"
        "\\bottomrule\n"
        "\\end{tabular}"
    )


THREE = Game(
    ["gov_1", "school", "R&D firm"],
    [["active", "passive"], ["deep"], ["train_x", "exploit"]],
    {(g, "deep", f): [f"a{i}*{j}" if i else j for i in range(3)]
     for j, (g, f) in enumerate([(g, f) for g in ("active", "passive") for f in ("train_x", "exploit")])},
)


def test_game_tables_three_players_contain_every_payoff_once_escaped():
    md, tex, arr = game_markdown(THREE), game_latex(THREE), game_latex_array(THREE)
    assert md.splitlines()[0] == "| gov_1 | school | R&D firm | u(gov_1) | u(school) | u(R&D firm) |"
    assert len(md.splitlines()) == 2 + 4
    for profile, values in THREE.payoff_table().items():
        assert "| " + " | ".join(list(profile) + [str(v) for v in values]) + " |" in md
        row = " & ".join([cell_latex(s) for s in profile] + [f"${sympy.latex(v)}$" for v in values]) + " \\\\"
        assert row in tex.splitlines()
        for v in values:
            assert sympy.latex(v) in arr
    # names are escaped exactly once (no double escaping of the backslash of an escape)
    assert "gov\\_1 & school & R\\&D firm & $u_{\\text{gov\\_1}}$" in tex
    assert "train\\_x" in tex and "textbackslash" not in tex
    assert "\\text{R\\&D firm}" in arr


def test_game_methods_use_the_renderers():
    assert SE.to_markdown() == game_markdown(SE)
    assert SE.to_latex() == game_latex(SE)
    assert SE._repr_latex_() == "$$" + game_latex_array(SE) + "$$"
    assert SE.to_markdown({"C_s": 1}) == game_markdown(SE.subs({"C_s": 1}))
