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

import functools
import numbers
import re
from collections.abc import Sequence

import sympy

__all__ = [
    "expr_text",
    "expr_latex",
    "format_set",
    "math_text",
    "markdown_table",
    "latex_table",
    "latex_rows",
    "latex_packages",
    "cell_text",
    "cell_latex",
    "game_markdown",
    "game_latex",
    "game_latex_array",
    "parameters_markdown",
    "parameters_latex",
]


#: How many printed expressions :func:`expr_text` and :func:`expr_latex` keep.
PRINT_CACHE_SIZE = 8192


@functools.lru_cache(maxsize=PRINT_CACHE_SIZE)
def _printed(expr: sympy.Basic, latex: bool) -> str:
    return sympy.latex(expr) if latex else str(expr)


def expr_text(value) -> str:
    """``str(value)``, remembered for sympy objects.

    A report prints the same conditions and payoffs in Markdown, in its JSON data and in several
    tables; sympy expressions are immutable, so each is printed once and the text is reused
    (the last :data:`PRINT_CACHE_SIZE` expressions are kept). Expressions that compare equal
    are structurally identical and print the same.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> expr_text(x + 1) == str(x + 1) == expr_text(1 + x)
    True
    """
    return _printed(value, False) if isinstance(value, sympy.Basic) else str(value)


def expr_latex(value) -> str:
    """``sympy.latex(value)`` with the default settings, remembered for sympy objects (see
    :func:`expr_text`).

    Examples
    --------
    >>> print(expr_latex(sympy.Rational(1, 2)))
    \\frac{1}{2}
    """
    return _printed(value, True) if isinstance(value, sympy.Basic) else sympy.latex(value)


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
            return expr_latex(x)
        if x is sympy.oo:
            return "∞"
        if x is -sympy.oo:
            return "-∞"
        return math_text(x)

    if not isinstance(value, sympy.Set):
        return expr_latex(value) if latex else expr_text(value)
    if value is sympy.S.EmptySet:
        return r"\text{never}" if latex else "never"
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
    if isinstance(value, sympy.Intersection):
        return (r" \cap " if latex else " ∩ ").join(_grouped(a, latex) for a in value.args)
    if isinstance(value, sympy.Complement):
        a, b = value.args
        return _grouped(a, latex) + (r" \setminus " if latex else " \\ ") + _grouped(b, latex)
    return expr_latex(value) if latex else math_text(value)


def _grouped(value, latex):
    text = format_set(value, latex=latex)
    if isinstance(value, (sympy.Union, sympy.Intersection, sympy.Complement)):
        return rf"\left({text}\right)" if latex else f"({text})"
    return text


_INFINITY = {"oo": "∞", "-oo": "-∞"}


def math_text(value) -> str:
    """A value as plain text for people: sets by :func:`format_set`, infinities as ``∞``.

    Sympy prints infinity as ``oo``; in every user-facing text coopgame prints ``∞``.

    Examples
    --------
    >>> math_text(sympy.oo), math_text(-sympy.oo), math_text(sympy.Rational(1, 2))
    ('∞', '-∞', '1/2')
    >>> math_text(sympy.Interval.open(1, sympy.oo))
    '(1, ∞)'
    """
    if isinstance(value, sympy.Set):
        return format_set(value)
    text = expr_text(value)
    if isinstance(value, sympy.Basic) and ("oo" in text) and value.has(sympy.oo, -sympy.oo):
        text = re.sub(r"(?<![\w.])-?oo(?![\w.])", lambda m: _INFINITY[m.group(0)], text)
    return text


def cell_text(value) -> str:
    """Plain text of a table cell (sympy objects by ``str``, with ``|`` escaped for Markdown).

    Line breaks become spaces, since a Markdown table row is one line.

    Examples
    --------
    >>> cell_text("a|b")
    'a\\\\|b'
    """
    text = " ".join(math_text(value).splitlines())
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
        return f"${expr_latex(value)}$"
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
    "∞": r"\ensuremath{\infty}",
    "∪": r"\ensuremath{\cup}",
    "∩": r"\ensuremath{\cap}",
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


#: Estimated characters of a table row that fit the text width (``\small`` type on an A4 page
#: with 2.5 cm margins); wider tables wrap their long columns.
PAGE_CHARACTERS = 80
#: Columns whose widest cell is longer than this (estimated characters) wrap when a table is too wide.
LONG_CELL = 18
_WRAP = r">{\raggedright\arraybackslash}X"
_COMMAND = re.compile(r"\\(left|right|big|Big|bigg|Bigg|text|mathrm|operatorname|displaystyle)\b|[{}$]")


def _visible_length(cell: str) -> int:
    r"""A rough length of typeset LaTeX: sizing and font commands, braces and dollars are free,
    any other command is one character (``\frac{1}{2}`` counts 4)."""
    text = _COMMAND.sub("", cell)
    text = re.sub(r"\\[a-zA-Z]+", "x", text)
    return len(text.replace("\\", ""))


def latex_rows(header: Sequence[str], rows: Sequence[Sequence[str]], align: str | None = None) -> str:
    r"""A booktabs table from cells that are already LaTeX; it fits the page width.

    When the estimated width of a row exceeds :data:`PAGE_CHARACTERS`, the table becomes a
    ``tabularx`` of width ``\linewidth`` whose long columns (widest cell above
    :data:`LONG_CELL` characters, or the widest column) are ragged-right ``X`` columns that wrap;
    otherwise it is a ``tabular`` with ``align`` (default ``l`` for every column). The packages
    used are ``booktabs`` and, for a wrapping table, ``tabularx`` and ``array``
    (:func:`latex_packages`).

    Examples
    --------
    >>> print(latex_rows(["a", "b"], [["1", "2"]]))
    \begin{tabular}{ll}
    \toprule
    a & b \\
    \midrule
    1 & 2 \\
    \bottomrule
    \end{tabular}
    >>> wide = latex_rows(["case", "condition"], [["1", "$" + " \\wedge ".join(["a_{%d} > b_{%d}" % (i, i) for i in range(12)]) + "$"]])
    >>> wide.splitlines()[0]
    '\\begin{tabularx}{\\linewidth}{@{}l>{\\raggedright\\arraybackslash}X@{}}'
    """
    n = len(header)
    letters = list(align) if align and len(align) == n and align.isalpha() else None
    widths = [max([_visible_length(str(header[j]))] + [_visible_length(str(r[j])) for r in rows if j < len(r)])
              for j in range(n)]
    wide = sum(widths) + 3 * (n - 1) > PAGE_CHARACTERS
    if not wide:
        spec = align or "l" * n
        env, opening = "tabular", rf"\begin{{tabular}}{{{spec}}}"
    else:
        long = [j for j in range(n) if widths[j] > LONG_CELL] or [max(range(n), key=widths.__getitem__)]
        cols = [_WRAP if j in long else (letters[j] if letters else "l") for j in range(n)]
        env, opening = "tabularx", r"\begin{tabularx}{\linewidth}{@{}" + "".join(cols) + "@{}}"
    lines = [opening, r"\toprule", " & ".join(str(h) for h in header) + r" \\", r"\midrule"]
    lines += [" & ".join(str(c) for c in row) + r" \\" for row in rows]
    lines += [r"\bottomrule", rf"\end{{{env}}}"]
    return "\n".join(lines)


def latex_table(header: Sequence, rows: Sequence[Sequence], *, align: str | None = None) -> str:
    """A LaTeX table with ``booktabs`` rules that fits the page; sympy cells in math mode.

    Long text or condition columns wrap in ``tabularx`` ``X`` columns when the table is wider
    than the page (see :func:`latex_rows`).
    """
    head = [cell_latex(h) if isinstance(h, sympy.Basic) else _escape_latex(str(h)) for h in header]
    return latex_rows(head, [[cell_latex(c) for c in row] for row in rows], align)


#: LaTeX packages by what needs them, for :func:`latex_packages`.
_NEEDS = (
    (re.compile(r"\\begin\{tabularx\}"), "tabularx"),
    (re.compile(r"\\(toprule|midrule|bottomrule|cmidrule)\b"), "booktabs"),
    (re.compile(r">\{|\\arraybackslash\b"), "array"),
    (re.compile(r"\\(text|dfrac|tfrac|binom|operatorname)\b|\\begin\{(align\*?|pmatrix|bmatrix|cases)\}"), "amsmath"),
    (re.compile(r"\\(mathbb|varnothing|leqslant|geqslant)\b"), "amssymb"),
    (re.compile(r"\\includegraphics\b"), "graphicx"),
)


def latex_packages(text: str) -> tuple:
    r"""The packages a LaTeX fragment written by coopgame needs, sorted.

    Examples
    --------
    >>> latex_packages(latex_rows(["a"], [["$\\text{x}$"]]))
    ('amsmath', 'booktabs')
    """
    return tuple(sorted({pkg for pattern, pkg in _NEEDS if pattern.search(text)}))


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
    """A booktabs table from cells that are already LaTeX (see :func:`latex_rows`)."""
    return latex_rows(header, rows, align)


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
    params = game.parameters if hasattr(game, "parameters") else game
    rows = []
    for p in params:
        iv = p.domain.interval
        shown = format_set(iv)
        domain = _escape_latex(p.domain.name)
        if iv is not sympy.S.Reals and p.domain.name != shown:
            domain += f" ${format_set(iv, latex=True)}$"
        elif p.domain.name == shown:
            domain = f"${format_set(iv, latex=True)}$"
        rows.append([cell_latex(sympy.Symbol(p.name)), _escape_latex(p.meaning or ""), _escape_latex(p.unit or ""),
                     domain, "" if p.default is None else cell_latex(p.default), _escape_latex(p.source or "")])
    return latex_rows(["parameter", "meaning", "unit", "domain", "default", "source"], rows)


#: The public name of the LaTeX text escaping every table writer uses.
escape_latex = _escape_latex
