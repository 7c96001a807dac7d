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


# ---------------------------------------------------------------------------- tables that fit a page
def _columns(tex):
    """The column specification of the first tabular/tabularx of ``tex``."""
    m = re.match(r"\\begin\{tabularx\}\{\\linewidth\}\{(.*)\}$|\\begin\{tabular\}\{(.*)\}$", tex.splitlines()[0])
    assert m, tex.splitlines()[0]
    return m.group(1) or m.group(2)


def _gse():
    import warnings

    from coopgame import models
    from coopgame.errors import DegenerateGameWarning

    warnings.simplefilter("ignore", DegenerateGameWarning)
    m = models.get("government_school_enterprise")
    return m, m.with_policy()


def test_a_long_condition_table_wraps_its_condition_column():
    # the stability conditions of the three-population model are conjunctions of three
    # inequalities in eight parameters: far wider than a page in an l column
    _, g = _gse()
    tex = g.replicator().stability(include="vertices").to_latex()
    spec = _columns(tex)
    assert tex.startswith("\\begin{tabularx}{\\linewidth}") and tex.endswith("\\end{tabularx}")
    assert "X" in spec and spec.startswith("@{}") and spec.endswith("@{}")
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex
    # the condition column (the last) is the wrapping one; the short rest-point column is not
    assert spec.endswith(">{\\raggedright\\arraybackslash}X@{}") and spec.startswith("@{}l")


def test_every_table_writer_uses_booktabs_and_wraps_when_wide():
    from coopgame.analysis import minimum_instrument
    from coopgame.core.formatting import parameters_latex

    m, g = _gse()
    others = {k: v for k, v in m.values().items() if k.name != "s"}
    long_text = "a condition that no page can hold in one line: " + " and ".join(f"x_{i} > y_{i}" for i in range(9))
    tables = {
        "payoffs": g.to_latex(),
        "stability": g.replicator().stability(include="vertices").to_latex(),
        "threshold": minimum_instrument(g, m.target, "s", others).to_latex(),
        "parameters": parameters_latex(g),
        "long text": latex_table(["case", "condition"], [["1", long_text]]),
        "equilibria": g.pure_equilibria().to_latex(),
    }
    for name, tex in tables.items():
        assert "\\toprule" in tex and "\\bottomrule" in tex, name
        # compile-ready for pdflatex: plain ASCII (infinities and set signs are LaTeX commands)
        assert all(ord(ch) < 128 for ch in tex), (name, [ch for ch in tex if ord(ch) >= 128][:5])
        env = "tabularx" if tex.startswith("\\begin{tabularx}") else "tabular"
        assert tex.endswith(f"\\end{{{env}}}"), name
        if env == "tabular":  # a plain tabular only when every row fits the page
            from coopgame.core.formatting import PAGE_CHARACTERS, _visible_length

            for line in tex.splitlines()[2:-1]:
                assert _visible_length(line) <= PAGE_CHARACTERS + 10, (name, line)
    for name in ("payoffs", "stability", "parameters", "long text"):
        assert "X" in _columns(tables[name]), name
    # the long text itself wraps, escaped once
    assert "x\\_8 \\textgreater{} y\\_8" in tables["long text"]


def test_short_tables_stay_plain_tabulars():
    assert latex_table(["a", "b"], [[1, 2]]).splitlines()[0] == "\\begin{tabular}{ll}"
    assert latex_table(["a", "b"], [[1, 2]], align="lr").splitlines()[0] == "\\begin{tabular}{lr}"


# the package each construct needs, written out here independently of the library's own list
_PACKAGE_OF = [
    (r"\\begin\{tabularx\}", "tabularx"),
    (r"\\(toprule|midrule|bottomrule)", "booktabs"),
    (r">\{", "array"),
    (r"\\text\{|\\begin\{align\*\}|\\begin\{pmatrix\}", "amsmath"),
    (r"\\includegraphics", "graphicx"),
]


def _loaded(tex):
    out = set()
    for arg in re.findall(r"\\usepackage(?:\[[^\]]*\])?\{([^}]*)\}", tex):
        out |= {p.strip() for p in arg.split(",")}
    return out


def _school_enterprise_cases():
    from coopgame import models

    m = models.get("school_enterprise")
    return m.game.replicator().stability(include="vertices").cases(assumptions=m.assumptions)


def test_the_standalone_document_loads_every_package_its_tables_use(tmp_path):
    from coopgame.report.analysis_section import replicator_latex, standalone_tex

    _, g = _gse()
    rd = g.replicator()
    (tmp_path / "latex").mkdir()
    (tmp_path / "figures").mkdir()
    pieces = {"payoffs": g.to_latex(), "stability": rd.stability(include="vertices").to_latex(),
              "cases": _school_enterprise_cases().to_latex(),
              "replicator": replicator_latex(rd)}
    for name, text in pieces.items():
        (tmp_path / "latex" / f"{name}.tex").write_text(text + "\n", encoding="utf-8")
    (tmp_path / "figures" / "phase.png").write_bytes(b"")
    doc = standalone_tex(tmp_path, "Report on R&D_1")
    body = doc + "".join(t for t in pieces.values())
    loaded = _loaded(doc)
    for pattern, package in _PACKAGE_OF:
        if re.search(pattern, body):
            assert package in loaded, package
    for name in pieces:
        assert f"\\input{{latex/{name}.tex}}" in doc
    assert "\\includegraphics[width=\\linewidth]{figures/phase.png}" in doc
    # compile-ready for pdflatex: plain ASCII (infinities and set signs are LaTeX commands)
    assert all(ord(ch) < 128 for ch in body), [ch for ch in body if ord(ch) >= 128][:5]


def test_the_standalone_document_compiles_when_a_latex_engine_is_installed(tmp_path):
    import shutil
    import subprocess

    engine = shutil.which("pdflatex") or shutil.which("tectonic")
    if engine is None:
        pytest.skip("no pdflatex or tectonic on this machine")
    from coopgame.report.analysis_section import standalone_tex

    _, g = _gse()
    (tmp_path / "latex").mkdir()
    (tmp_path / "latex" / "stability.tex").write_text(g.replicator().stability(include="vertices").to_latex())
    (tmp_path / "report.tex").write_text(standalone_tex(tmp_path, "Report"))
    args = [engine, "-interaction=nonstopmode", "report.tex"] if engine.endswith("pdflatex") else [engine, "report.tex"]
    done = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]


# ---------------------------------------------------------------------------- sets as mathematics
def _no_sympy_words(text):
    return not re.search(r"(?<![\w.])-?oo(?![\w.])|Interval|EmptySet|Union\(|Intersection\(", text)


def test_domain_messages_print_infinity_as_a_sign():
    from coopgame import Parameter
    from coopgame.errors import ParameterError
    from coopgame.parameters import NONNEGATIVE, POSITIVE, Domain

    for domain, value, shown in ((POSITIVE, 0, "positive (0, ∞)"), (NONNEGATIVE, -1, "nonnegative [0, ∞)"),
                                 (Domain.between(-sympy.oo, 1), 2, "(-∞, 1]")):
        with pytest.raises(ParameterError) as err:
            Parameter("c", domain=domain).check(value)
        assert shown in str(err.value) and _no_sympy_words(str(err.value)), str(err.value)
    with pytest.raises(ParameterError, match="∞ is not a finite number"):
        Parameter("c", domain=POSITIVE).check(sympy.oo)


def test_threshold_text_and_tables_print_sets_as_mathematics():
    from coopgame.analysis import threshold

    s = sympy.Symbol("s", nonnegative=True)
    a = sympy.Symbol("a", real=True)
    # 6s > 1 and 3s < 2 on s >= 0: s in (1/6, 2/3), an open interval (solved by hand)
    t = threshold(sympy.And(6 * s > 1, 3 * s < 2), s)
    assert "s in (1/6, 2/3)" in str(t) and _no_sympy_words(str(t))
    assert "| (1/6, 2/3) |" in t.to_markdown()
    # a s > 1: s > 1/a when a > 0, an interval unbounded above
    t = threshold(a * s > 1, s)
    assert "if a > 0: s in (1/a, ∞)" in str(t)
    assert "∞" in t.to_markdown() and _no_sympy_words(t.to_markdown())
    # infeasible: s < -1 has no nonnegative solution
    t = threshold(s < -1, s, description="level of s making (deep, join) evolutionarily stable")
    assert "no level of s makes (deep, join) evolutionarily stable" in str(t)
    assert _no_sympy_words(str(t)) and "never" in t.to_markdown()
    assert "\\text{never}" in t.to_latex()


def test_math_text_and_format_set():
    from coopgame.core.formatting import format_set, math_text

    b, c = sympy.symbols("b c", positive=True)
    both = sympy.Intersection(sympy.Interval(0, sympy.oo), sympy.Interval.open(b / c, sympy.oo), evaluate=False)
    assert format_set(both) == "[0, ∞) ∩ (b/c, ∞)"
    assert format_set(both, latex=True) == "\\left[0, \\infty\\right) \\cap \\left(\\frac{b}{c}, \\infty\\right)"
    assert format_set(sympy.S.EmptySet, latex=True) == "\\text{never}"
    assert math_text(sympy.Max(b, sympy.oo, evaluate=False)) == "Max(∞, b)"
    assert math_text(sympy.Symbol("oo_rate")) == "oo_rate"  # a name is not infinity
    assert cell_text(-sympy.oo) == "-∞"


def test_assumption_and_case_messages_print_mathematics():
    from coopgame import models
    from coopgame.dynamics.cases import check_assumptions
    from coopgame.errors import ParameterError

    m = models.get("school_enterprise")
    with pytest.raises(ParameterError) as err:
        check_assumptions(m.values(), list(m.assumptions) + ["K > 5"])  # K = 1 in the model
    assert "K > 5 is violated at K = 1" in str(err.value) and _no_sympy_words(str(err.value))
    text = _school_enterprise_cases().to_markdown()
    assert "Case 1" in text and _no_sympy_words(text)


# ---------------------------------------------------------------- remembered printing
_atoms = st.sampled_from([sympy.Symbol("a"), sympy.Symbol("b", positive=True), sympy.Symbol("a", positive=True),
                          sympy.Integer(1), sympy.Float(1.0), sympy.Rational(1, 2), sympy.Float(0.5), sympy.oo])


@st.composite
def _expressions(draw):
    """Sums and products of symbols and numbers that compare unequal but hash alike
    (``Integer(1)`` and ``Float(1.0)``; symbols of one name with other assumptions), and relations."""
    terms = draw(st.lists(st.tuples(_atoms, _atoms), min_size=1, max_size=4))
    expr = sympy.Add(*[p * q for p, q in terms])
    if draw(st.booleans()) and expr.is_finite is not False:
        expr = sympy.StrictGreaterThan(expr, draw(_atoms), evaluate=False)
    return expr


@settings(max_examples=60)
@given(st.lists(_expressions(), min_size=1, max_size=6))
def test_remembered_printing_equals_the_printers(exprs):
    """expr_text / expr_latex return exactly str / sympy.latex, in any order of first use:
    expressions that hash alike but differ (1 and 1.0) never share a printed text."""
    from coopgame.core.formatting import expr_latex, expr_text

    for e in exprs + exprs[::-1]:
        assert expr_text(e) == str(e)
        assert expr_latex(e) == sympy.latex(e)


def test_remembered_printing_keeps_one_and_one_point_zero_apart():
    from coopgame.core.formatting import expr_text

    assert hash(sympy.Integer(1)) == hash(sympy.Float(1.0))  # the hazard: equal hashes
    assert (expr_text(sympy.Integer(1)), expr_text(sympy.Float(1.0))) == ("1", "1.00000000000000")
    assert expr_text("a|b") == "a|b" and expr_text(3) == "3"  # not sympy: plain str
