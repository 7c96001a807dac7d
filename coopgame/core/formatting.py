"""Rendering of payoff tables and generic result tables as Markdown and LaTeX.

Results render themselves (``to_markdown``, ``to_latex``, ``_repr_*_``) through these helpers, as
SymPy objects print through its printers; the report package only assembles documents.

Examples
--------
>>> from coopgame.core.formatting import markdown_table
>>> print(markdown_table(["x", "y"], [[1, 2], [3, 4]]))
| x | y |
|---|---|
| 1 | 2 |
| 3 | 4 |
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import sympy

__all__ = [
    "format_set",
    "markdown_table",
    "latex_table",
    "cell_text",
    "cell_latex",
    "game_markdown",
    "game_latex",
    "game_latex_array",
    "parameters_markdown",
    "parameters_latex",
]


def format_set(value, *, latex: bool = False) -> str:
    """A sympy set printed as mathematics: ``(1/6, 2/3)``, ``[0, ∞)``, ``never`` for the empty set.

    Intervals use round brackets for open ends and square ones for closed ends, ``∞`` for
    infinity; unions are joined by ``∪``; finite sets are listed in braces; the empty set (an
    infeasible threshold) reads "never". With ``latex`` the same in LaTeX (math mode, without
    the dollars). Anything that is not a set is printed by ``str`` (``sympy.latex``).

    Examples
    --------
    >>> format_set(sympy.Interval.open(sympy.Rational(1, 6), sympy.Rational(2, 3)))
    '(1/6, 2/3)'
    >>> format_set(sympy.Interval(0, sympy.oo)), format_set(sympy.S.EmptySet)
    ('[0, ∞)', 'never')
    >>> format_set(sympy.Union(sympy.Interval.Lopen(-1, 0), sympy.FiniteSet(2)))
    '(-1, 0] ∪ {2}'
    >>> print(format_set(sympy.Interval.Ropen(sympy.Rational(1, 2), sympy.oo), latex=True))
    \\left[\\frac{1}{2}, \\infty\\right)
    """
    def num(x):
        if latex:
            return sympy.latex(x)
        if x is sympy.oo:
            return "∞"
        if x is -sympy.oo:
            return "-∞"
        return str(x)

    if not isinstance(value, sympy.Set):
        return sympy.latex(value) if latex else str(value)
    if value is sympy.S.EmptySet:
        return r"	ext{never}" if latex else "never"
    if value is sympy.S.Reals:
        return r"\left(-\infty, \infty\right)" if latex else "(-∞, ∞)"
    if isinstance(value, sympy.Interval):
        left = "(" if value.left_open or value.start.is_infinite else "["
        right = ")" if value.right_open or value.end.is_infinite else "]"
        body = f"{num(value.start)}, {num(value.end)}"
        return rf"\left{left}{body}\right{right}" if latex else f"{left}{body}{right}"
    if isinstance(value, sympy.FiniteSet):
        body = ", ".join(num(x) for x in value.args)
        return rf"\{{{body}\}}" if latex else "{" + body + "}"
    if isinstance(value, sympy.Union):
        return (r" \cup " if latex else " ∪ ").join(format_set(a, latex=latex) for a in value.args)
    return sympy.latex(value) if latex else str(value)


def cell_text(value) -> str:
    """Plain text of a table cell (sympy objects by ``str``, with ``|`` escaped for Markdown).

    Line breaks become spaces, since a Markdown table row is one line.

    Examples
    --------
    >>> cell_text("a|b")
    'a\\\\|b'
    """
    text = " ".join((format_set(value) if isinstance(value, sympy.Set) else str(value)).splitlines())
    return text.replace("|", "\\|")


def cell_latex(value) -> str:
    """LaTeX of a table cell: sympy objects through ``sympy.latex`` in math mode, text escaped.

    Examples
    --------
    >>> print(cell_latex(sympy.Rational(1, 2)), cell_latex("R&D_1"), cell_latex(3))
    $\\frac{1}{2}$ R\\&D\\_1 $3$
    """
    if isinstance(value, sympy.Set):
        return f"${format_set(value, latex=True)}$"
    if isinstance(value, sympy.Basic):
        return f"${sympy.latex(value)}$"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"${value}$"
    return _escape_latex(str(value))


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "|": r"\textbar{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}


def _escape_latex(text: str) -> str:
    """Escape LaTeX's special characters in text (one pass, so escapes are not escaped again)."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in " ".join(str(text).splitlines()))


def markdown_table(header: Sequence, rows: Sequence[Sequence]) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(cell_text(h) for h in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(cell_text(c) for c in row) + " |")
    return "\n".join(lines)


def latex_table(header: Sequence, rows: Sequence[Sequence], *, align: str | None = None) -> str:
    """A LaTeX ``tabular`` with ``booktabs`` rules; sympy cells are typeset in math mode."""
    align = align or "l" * len(header)
    lines = [rf"\begin{{tabular}}{{{align}}}", r"\toprule",
             " & ".join(cell_latex(h) if isinstance(h, sympy.Basic) else _escape_latex(str(h)) for h in header) + r" \\",
             r"\midrule"]
    for row in rows:
        lines.append(" & ".join(cell_latex(c) for c in row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    return "\n".join(lines)


def _pair(values) -> str:
    return "(" + ", ".join(str(v) for v in values) + ")"


def game_markdown(game) -> str:
    """Payoff table of a game in Markdown."""
    title = f"**{game.name}**\n\n" if game.name else ""
    if len(game.players) == 2:
        rows_p, cols_p = game.players
        header = [f"{rows_p} \\ {cols_p}"] + list(game.strategy_lists[1])
        rows = []
        for r in game.strategy_lists[0]:
            rows.append([r] + [_pair(game.payoffs((r, c))) for c in game.strategy_lists[1]])
        return title + markdown_table(header, rows)
    header = list(game.players) + [f"u({p})" for p in game.players]
    rows = [list(profile) + list(values) for profile, values in game.payoff_table().items()]
    return title + markdown_table(header, rows)


def game_latex(game) -> str:
    """Payoff table of a game as a LaTeX ``tabular``; names are escaped, payoffs typeset."""
    if len(game.players) == 2:
        rows_p, cols_p = game.players
        header = [_escape_latex(f"{rows_p} / {cols_p}")] + [_escape_latex(c) for c in game.strategy_lists[1]]
        rows = []
        for r in game.strategy_lists[0]:
            cells = [_escape_latex(r)]
            for c in game.strategy_lists[1]:
                a, b = game.payoffs((r, c))
                cells.append(f"$({sympy.latex(a)},\\ {sympy.latex(b)})$")
            rows.append(cells)
        return _latex_rows(header, rows, "l" + "c" * len(game.strategy_lists[1]))
    header = [_escape_latex(p) for p in game.players] + [f"$u_{{{_text(p)}}}$" for p in game.players]
    rows = [[_escape_latex(s) for s in profile] + [f"${sympy.latex(v)}$" for v in values]
            for profile, values in game.payoff_table().items()]
    return _latex_rows(header, rows, "l" * len(game.players) + "c" * len(game.players))


def _latex_rows(header, rows, align) -> str:
    """A booktabs ``tabular`` from cells that are already LaTeX."""
    lines = [rf"\begin{{tabular}}{{{align}}}", r"\toprule", " & ".join(header) + r" \\", r"\midrule"]
    lines += [" & ".join(row) + r" \\" for row in rows]
    lines += [r"\bottomrule", r"\end{tabular}"]
    return "\n".join(lines)


def _text(s: str) -> str:
    return r"\text{" + _escape_latex(s) + "}"


def game_latex_array(game) -> str:
    """Payoff table as a LaTeX ``array`` for math mode (used by ``_repr_latex_``)."""
    if len(game.players) == 2:
        cols = game.strategy_lists[1]
        lines = [r"\begin{array}{l|" + "c" * len(cols) + "}",
                 " & ".join([""] + [_text(c) for c in cols]) + r" \\ \hline"]
        for r in game.strategy_lists[0]:
            cells = [_text(r)] + [
                "(" + r",\ ".join(sympy.latex(v) for v in game.payoffs((r, c))) + ")" for c in cols
            ]
            lines.append(" & ".join(cells) + r" \\")
        lines.append(r"\end{array}")
        return "\n".join(lines)
    n = len(game.players)
    lines = [r"\begin{array}{" + "l" * n + "|" + "c" * n + "}",
             " & ".join([_text(p) for p in game.players] + [f"u_{{{_text(p)}}}" for p in game.players]) + r" \\ \hline"]
    for profile, values in game.payoff_table().items():
        lines.append(" & ".join([_text(s) for s in profile] + [sympy.latex(v) for v in values]) + r" \\")
    lines.append(r"\end{array}")
    return "\n".join(lines)


def _domain_text(domain) -> str:
    """``positive (0, ∞)``: a domain's name and its interval printed as mathematics."""
    if domain.interval is sympy.S.Reals:
        return domain.name
    shown = format_set(domain.interval)
    return domain.name if domain.name == shown else f"{domain.name} {shown}"


def _parameter_rows(game):
    params = game.parameters if hasattr(game, "parameters") else game
    return [[p.name, p.meaning, p.unit, _domain_text(p.domain), "" if p.default is None else p.default, p.source]
            for p in params]


def parameters_markdown(game) -> str:
    """The parameter table (name, meaning, unit, domain, default, source) of a game, model or list of parameters."""
    return markdown_table(["parameter", "meaning", "unit", "domain", "default", "source"], _parameter_rows(game))


def parameters_latex(game) -> str:
    """The parameter table of a game, model or list of parameters as a LaTeX ``tabular``."""
    rows = [[sympy.Symbol(r[0]), *r[1:]] for r in _parameter_rows(game)]
    return latex_table(["parameter", "meaning", "unit", "domain", "default", "source"], rows)


#: The public name of the LaTeX text escaping every table writer uses.
escape_latex = _escape_latex
