"""The analysis section of a report: replicator equations, Jacobian, cases, sensitivity, bifurcation.

:func:`analysis_section` writes, into a report folder being built, what a paper's analysis section
shows after the payoff matrix: the replicator equations and the Jacobian (Markdown and LaTeX), the
case table under the model's assumptions, a sensitivity figure for each instrument and a
bifurcation diagram for the main instrument. :func:`standalone_tex` assembles a ``report.tex`` that
includes every LaTeX table and figure of the folder.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import sympy

from ..core.errors import CoopgameError, DegenerateGameWarning, IncompleteSearchWarning

__all__ = ["analysis_section", "regime_curves", "replicator_markdown", "replicator_latex", "standalone_tex"]

#: Levels of each instrument in the sensitivity figures.
SENSITIVITY_LEVELS = 5


def replicator_latex(dynamics) -> str:
    """The replicator equations and the Jacobian as a LaTeX ``align*`` and an equation."""
    lines = [r"\begin{align*}"]
    rows = [rf"\dot{{{sympy.latex(x)}}} &= {sympy.latex(e)}" for x, e in zip(dynamics.state, dynamics.equations)]
    lines.append(" \\\\\n".join(rows))
    lines.append(r"\end{align*}")
    J = dynamics.jacobian()
    lines += [r"\[", r"J = " + sympy.latex(sympy.Matrix(J), mat_delim="(", mat_str="pmatrix"), r"\]"]
    return "\n".join(lines)


def replicator_markdown(dynamics) -> str:
    """The replicator equations and the Jacobian in Markdown with ``$$`` display math."""
    eqs = "\n\n".join(f"$$\\dot{{{sympy.latex(x)}}} = {sympy.latex(e)}$$"
                      for x, e in zip(dynamics.state, dynamics.equations))
    J = dynamics.jacobian()
    entries = "\n".join(f"- $J_{{{i + 1}{j + 1}}} = {sympy.latex(J[i, j])}$"
                        for i in range(J.rows) for j in range(J.cols) if J[i, j] != 0)
    return f"{eqs}\n\nThe nonzero entries of the Jacobian:\n\n{entries}"


def regime_curves(game, grid, fixed=None) -> list:
    """The exact boundaries of a regime map: the deviation gains whose sign decides it there.

    On a map over two parameters the set of asymptotically stable vertices (strict Nash
    equilibria, Selten 1980) changes only where a vertex's eigenvalue, a deviation gain
    :math:`u_i(s'_i, s_{-i}) - u_i(s)`, changes sign while the vertex's other gains are
    negative. Each distinct gain that depends on the swept parameters alone once ``fixed`` is
    substituted, and crosses zero on the map's box where the other gains of its vertex are
    negative (found on an 81-point sample of each axis), is returned as an expression whose zero
    set is a boundary; polynomial gains are made monic (the zero set is the same).

    Parameters
    ----------
    game : Game
    grid : mapping
        The sweep's axes: parameter name -> values (two of them with several values).
    fixed : mapping, optional
        Values of the other parameters.

    Examples
    --------
    >>> from coopgame import Game
    >>> g = Game.bimatrix([["a", 0], [0, "b"]], [["a", 0], [0, 1]], strategies=[["A", "B"]] * 2)
    >>> regime_curves(g, {"a": [-1, 0, 1, 2], "b": [-1, 1, 2]})
    [a, b]
    """
    import numpy as np

    fixed = dict(fixed or {})
    swept = [k for k, v in grid.items() if len(v) > 1]
    by_name = {s.name: s for s in game.free_symbols}
    sub = {by_name[k]: sympy.Rational(str(v)) if not isinstance(v, sympy.Basic) else v
           for k, v in fixed.items() if k in by_name}
    axes = [by_name[k] for k in swept if k in by_name]
    box = [(float(min(grid[a.name])), float(max(grid[a.name]))) for a in axes]
    rd = game.replicator()
    pts = np.meshgrid(*[np.linspace(lo, hi, 81) for lo, hi in box], indexing="ij")

    sampled = {}  # gain -> its values on the sample; a gain shared by vertices is evaluated once

    def values(exprs):
        new = list(dict.fromkeys(e for e in exprs if e not in sampled))
        if new:  # one compiled function per vertex for the gains not yet sampled
            f = sympy.lambdify(axes, new, "numpy", dummify=True)
            with np.errstate(all="ignore"):
                for e, v in zip(new, f(*pts)):
                    sampled[e] = np.broadcast_to(np.asarray(v, dtype=float), pts[0].shape)
        return [sampled[e] for e in exprs]

    out, seen = [], set()
    for row in rd._vertex_rows(False, 1e-9):
        gains = [sympy.expand(e.xreplace(sub)) for e in row.eigenvalues]
        if any(not e.free_symbols <= set(axes) for e in gains):
            continue
        vals = values(gains)
        for k, e in enumerate(gains):
            if not e.free_symbols:
                continue
            key = sympy.Poly(e, *sorted(e.free_symbols, key=lambda t: t.name)).monic().as_expr() \
                if e.is_polynomial(*e.free_symbols) else e
            if key in seen:
                continue
            # the vertex's stability changes across e = 0 where its other gains are negative:
            # look for a sign change of e between neighbouring sample points of that region
            others = np.ones(pts[0].shape, dtype=bool)
            for j, v in enumerate(vals):
                if j != k:
                    others &= v < 0
            crosses = False
            for axis in range(len(axes)):
                a = [slice(None)] * len(axes)
                b = [slice(None)] * len(axes)
                a[axis], b[axis] = slice(None, -1), slice(1, None)
                a, b = tuple(a), tuple(b)
                crosses |= bool(np.any((vals[k][a] * vals[k][b] <= 0) & others[a] & others[b]))
            if crosses:
                seen.add(key)
                out.append(key)
    return sorted(out, key=sympy.default_sort_key)


def _levels(param, scenario, game, values, known=None):
    """Five exact levels from the domain's lower end to twice the larger of the policy level and
    the exact threshold of the target (4 when neither is finite).

    ``known`` is a threshold of ``param`` the pipeline already holds for the same substituted game
    (see :func:`_known_threshold`); without one the threshold is derived here.
    """
    from ..analysis.sweep import exact_linspace
    from ..analysis.thresholds import minimum_instrument

    lo = param.domain.interval.inf
    lo = sympy.Integer(0) if not lo.is_finite else lo
    marks = [sympy.Rational(v) for k, v in scenario.policy_levels if k == param.name]
    if scenario.target:
        try:
            if known is not None:
                t = known
            else:
                others = {k: v for k, v in values.items() if k != param.symbol}
                t = minimum_instrument(game, scenario.target, param.name, others)
            for b in (t.infimum, t.supremum):
                if b.is_number and b.is_finite:
                    marks.append(b)
        except CoopgameError:
            pass
    top = max([m for m in marks if m > lo] or [lo + 2])
    hi = lo + 2 * (top - lo)
    if param.domain.interval.sup.is_finite:
        hi = min(hi, param.domain.interval.sup)
    return [sympy.Rational(str(v)) for v in exact_linspace(lo, hi, SENSITIVITY_LEVELS)], lo, hi


def _same_substituted(g1, v1, g2, v2) -> bool:
    """Whether two games have the same players, strategies and, with their values substituted,
    exactly the same payoffs (so every condition derived from them is the same)."""
    if g1.players != g2.players or g1.strategy_lists != g2.strategy_lists:
        return False
    t1, t2 = g1.payoff_table(), g2.payoff_table()
    if t1.keys() != t2.keys():
        return False
    return all(sympy.expand(sympy.sympify(a, strict=True).xreplace(v1) - sympy.sympify(b, strict=True).xreplace(v2)) == 0
               for k in t1 for a, b in zip(t1[k], t2[k]))


def _known_threshold(param, scenario, game, values, status, overrides):
    """The threshold of ``param`` the status-quo analysis already derived, when it answers the
    question :func:`_levels` asks: the target's stabilising levels of ``param`` in ``game`` with
    the other parameters at ``values``. Else None (and :func:`_levels` derives it).

    The pipeline solved each instrument alone (its game ``scenario.with_policy(name)``, the
    other parameters at the status-quo analysis values, :func:`coopgame.analysis.pipeline.analyze`);
    it is the same threshold exactly when that game, with its values substituted, has the same
    payoffs as ``game`` with ``values`` substituted (the other instruments vanishing at theirs).
    """
    if status is None or not getattr(status, "thresholds", ()):
        return None
    # the status-quo analysis ran without the values of instrument parameters (those enter with
    # their instruments only); its thresholds took the scenario's values for them
    status_overrides = {k: v for k, v in (overrides or {}).items() if not scenario.owners(getattr(k, "name", k))}
    try:
        base = scenario.values(status_overrides)
    except CoopgameError:
        return None
    if any(base.get(k) != v for k, v in status.values.items()):
        return None  # the status-quo analysis used other values: do not guess
    mine = {k: v for k, v in values.items() if k != param.symbol}
    for t in status.thresholds:
        if t.parameter != param.name:
            continue
        single = scenario.with_policy(t.instrument)
        present = {p.name: p for p in single.parameters}
        if present.get(param.name) != param:
            continue
        fixed = {k: v for k, v in base.items() if k.name in present and k.name != param.name}
        if _same_substituted(single, fixed, game, mine):
            return t.threshold
    return None


def analysis_section(tmp: Path, scenario, values=None, *, assumptions=(), figures: bool = True,
                     t_max=50, results=None, status=None, with_policy=None) -> list[str]:
    """Markdown lines of the analysis section; LaTeX in ``tmp/latex``, figures in ``tmp/figures``.

    ``status`` and ``with_policy`` are the pipeline's analyses (:func:`coopgame.analysis.pipeline.analyze`)
    of the status quo and of every instrument; their replicator systems are read, not derived again.
    """
    from .analysis_figures import bifurcation_diagram, save_figure, sensitivity_figure

    if not assumptions:
        assumptions = _catalogue_assumptions(scenario)
    md = ["## Replicator dynamics (status quo)", ""]
    rd = status.dynamics if status is not None and getattr(status, "dynamics", None) is not None \
        else scenario.game.replicator()
    md += [replicator_markdown(rd), ""]
    (tmp / "latex").mkdir(exist_ok=True)
    (tmp / "latex" / "replicator.tex").write_text(replicator_latex(rd) + "\n", encoding="utf-8")
    md += ["## Cases under the assumptions", ""]
    try:
        table = rd.stability(include="vertices").cases(assumptions=assumptions)
        interior = [c for c in table.cases if not c.boundary]
        shown = type(table)(cases=tuple(interior), assumptions=table.assumptions, parameters=table.parameters)
        md += [shown.to_markdown(), "",
               f"{len(table.cases) - len(interior)} boundary case(s) (regions without interior, where some "
               "vertex is non-hyperbolic) complete the partition of the admissible region.", ""]
        (tmp / "latex" / "cases.tex").write_text(shown.to_latex() + "\n", encoding="utf-8")
        if results is not None:
            results["cases"] = table.to_dicts()
    except CoopgameError as exc:
        md += [f"The case table was not computed: {exc}", ""]
    if not figures or not scenario.instruments:
        return md
    if with_policy is not None and getattr(with_policy, "dynamics", None) is not None:
        game = with_policy.game
    else:
        game = scenario.with_policy(*scenario.instrument_names)
    vals = scenario.values(values, policy=False)
    present = {p.name: p for p in game.parameters}
    vals = {k: v for k, v in vals.items() if k.name in present}
    params = [p for p in scenario.instrument_parameters if p.name in present]
    if not params:
        return md
    rdp = with_policy.dynamics if with_policy is not None and getattr(with_policy, "dynamics", None) is not None \
        else game.replicator()
    (tmp / "figures").mkdir(exist_ok=True)
    start = [[sympy.Rational(1, 2)] * len(rdp.state)]
    md += ["## Sensitivity analysis", "",
           "Time paths of every population from the state where every share is 1/2, at five levels of each "
           "instrument (the others at their status-quo values), integrated in one batch. The switching values "
           "are exact.", ""]
    main = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        warnings.simplefilter("ignore", IncompleteSearchWarning)
        for p in params:
            try:
                known = _known_threshold(p, scenario, game, vals, status, values)
                levels, lo, hi = _levels(p, scenario, game, vals, known)
                res = rdp.sensitivity(p.name, levels, vals, start, float(t_max))
            except CoopgameError as exc:
                md += [f"- `{p.name}`: not computed ({exc})", ""]
                continue
            name = f"figures/sensitivity_{p.name}.png"
            save_figure(sensitivity_figure(res, title=f"{p.meaning or p.name} ({p.name})"), tmp / name)
            sw = ", ".join(f"{s.value}" for s in res.switches) or "none between the levels"
            md += [f"### {p.name}: {p.meaning}" if p.meaning else f"### {p.name}", "",
                   f"![sensitivity to {p.name}]({name})", "", f"Switching values of {p.name}: {sw}.", ""]
            if main is None and (any(k == p.name for k, _ in scenario.policy_levels) or p is params[-1]):
                main = (p, lo, hi)
        if main is not None:
            p, lo, hi = main
            try:
                others = {k: v for k, v in vals.items() if k != p.symbol}
                bif = rdp.bifurcation(p.name, others, lo=lo, hi=hi)
                name = f"figures/bifurcation_{p.name}.png"
                save_figure(bifurcation_diagram(bif, title=f"Rest points against {p.name}"), tmp / name)
                md += [f"## Bifurcation in {p.name}", "", f"![bifurcation in {p.name}]({name})", "",
                       "Solid: asymptotically stable; dashed: not. Critical values: "
                       + (", ".join(str(c) for c in bif.critical) or "none") + ".", "", bif.to_markdown(), ""]
                if results is not None:
                    results["bifurcation"] = {"parameter": p.name, "critical": [str(c) for c in bif.critical],
                                              "branches": bif.to_dicts()}
            except CoopgameError as exc:
                md += [f"## Bifurcation in {p.name}", "", f"Not computed: {exc}", ""]
    return md


def _catalogue_assumptions(scenario) -> tuple:
    """The assumptions of the catalogue model the scenario was made from (same name and game)."""
    from .. import models

    if scenario.name not in models.names():
        return ()
    model = models.get(scenario.name)
    return tuple(model.assumptions) if model.game == scenario.game else ()


def standalone_tex(tmp: Path, title: str) -> str:
    """A complete LaTeX document including every ``latex/*.tex`` table and every figure."""
    from ..core.formatting import escape_latex, latex_packages

    tables = sorted((tmp / "latex").glob("*.tex"))
    # every package a table uses (tabularx, booktabs, array, amsmath, ...), and those of the body
    packages = {"amsmath", "amssymb", "booktabs", "tabularx", "array", "graphicx"}
    for tex in tables:
        packages.update(latex_packages(tex.read_text(encoding="utf-8")))
    parts = [r"\documentclass[11pt]{article}", r"\usepackage[margin=2.5cm]{geometry}",
             r"\usepackage{" + ",".join(sorted(packages)) + "}", r"\usepackage[T1]{fontenc}",
             rf"\title{{{escape_latex(title)}}}", r"\date{}", r"\begin{document}", r"\maketitle"]
    for tex in tables:
        parts += [rf"\section*{{{escape_latex(tex.stem.replace('_', ' '))}}}",
                  r"\begin{center}", r"\small", rf"\input{{latex/{tex.name}}}", r"\end{center}"]
    figs = sorted((tmp / "figures").glob("*.png")) if (tmp / "figures").is_dir() else []
    for fig in figs:
        parts += [r"\begin{figure}[htbp]", r"\centering", rf"\includegraphics[width=\linewidth]{{figures/{fig.name}}}",
                  rf"\caption{{{escape_latex(fig.stem.replace('_', ' '))}}}", r"\end{figure}"]
    parts.append(r"\end{document}")
    return "\n".join(parts) + "\n"
