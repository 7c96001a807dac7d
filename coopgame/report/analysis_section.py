"""The analysis section of a report: replicator equations, Jacobian, cases, sensitivity, bifurcation.

:func:`analysis_section` writes, into a report folder being built, what a paper's analysis section
shows after the payoff matrix: the replicator equations and the Jacobian (Markdown and LaTeX), the
case table under the model's assumptions, a sensitivity figure for each instrument and a
bifurcation diagram for the main instrument, all read from a finished
:class:`~coopgame.analysis.study.Study` (``regime_curves`` and ``SENSITIVITY_LEVELS`` are
re-exported from the analyses that own them). :func:`standalone_tex` assembles a ``report.tex`` that
includes every LaTeX table and figure of the folder.
"""

from __future__ import annotations

from pathlib import Path

import sympy

from ..analysis.regimes import regime_curves
from ..analysis.study import SENSITIVITY_LEVELS
from ..core.formatting import expr_latex

__all__ = ["analysis_section", "regime_curves", "replicator_markdown", "replicator_latex", "standalone_tex",
           "SENSITIVITY_LEVELS"]


def replicator_latex(dynamics) -> str:
    """The replicator equations and the Jacobian as a LaTeX ``align*`` and an equation."""
    lines = [r"\begin{align*}"]
    rows = [rf"\dot{{{expr_latex(x)}}} &= {expr_latex(e)}" for x, e in zip(dynamics.state, dynamics.equations)]
    lines.append(" \\\\\n".join(rows))
    lines.append(r"\end{align*}")
    J = dynamics.jacobian()
    lines += [r"\[", r"J = " + sympy.latex(sympy.Matrix(J), mat_delim="(", mat_str="pmatrix"), r"\]"]
    return "\n".join(lines)


def replicator_markdown(dynamics) -> str:
    """The replicator equations and the Jacobian in Markdown with ``$$`` display math."""
    eqs = "\n\n".join(f"$$\\dot{{{expr_latex(x)}}} = {expr_latex(e)}$$"
                      for x, e in zip(dynamics.state, dynamics.equations))
    J = dynamics.jacobian()
    entries = "\n".join(f"- $J_{{{i + 1}{j + 1}}} = {expr_latex(J[i, j])}$"
                        for i in range(J.rows) for j in range(J.cols) if J[i, j] != 0)
    return f"{eqs}\n\nThe nonzero entries of the Jacobian:\n\n{entries}"


def analysis_section(tmp: Path, study, *, figures: bool = True, results=None) -> list[str]:
    """Markdown lines of the analysis section of a :class:`~coopgame.analysis.study.Study`;
    LaTeX in ``tmp/latex``, figures in ``tmp/figures``.

    Everything shown was computed by :func:`coopgame.analysis.study.study`: the status quo's
    replicator system and case table, the sensitivity runs and the bifurcation. ``figures``
    draws the sensitivity and bifurcation figures (without it those parts are left out).
    """
    rd = study.status.game.replicator()  # the status quo's system, derived once (what the study used)
    md = ["## Replicator dynamics (status quo)", "", replicator_markdown(rd), ""]
    (tmp / "latex").mkdir(exist_ok=True)
    (tmp / "latex" / "replicator.tex").write_text(replicator_latex(rd) + "\n", encoding="utf-8")
    md += ["## Cases under the assumptions", ""] + _cases_lines(tmp, study, results)
    if not figures or not study.sensitivity:
        return md
    md += _sensitivity_lines(tmp, study)
    if study.main is not None:
        md += _bifurcation_lines(tmp, study, results)
    return md


def _cases_lines(tmp: Path, study, results) -> list[str]:
    """The case table's interior cases (Markdown, and ``tmp/latex/cases.tex``)."""
    table = study.cases
    if table is None:
        return [f"The case table was not computed: {study.cases_error}", ""] if study.cases_error else []
    interior = [c for c in table.cases if not c.boundary]
    shown = type(table)(cases=tuple(interior), assumptions=table.assumptions, parameters=table.parameters)
    (tmp / "latex" / "cases.tex").write_text(shown.to_latex() + "\n", encoding="utf-8")
    if results is not None:
        results["cases"] = table.to_dicts()
    return [shown.to_markdown(), "",
            f"{len(table.cases) - len(interior)} boundary case(s) (regions without interior, where some "
            "vertex is non-hyperbolic) complete the partition of the admissible region.", ""]


def _sensitivity_lines(tmp: Path, study) -> list[str]:
    """A figure and the exact switching values of each sensitivity run."""
    from .analysis_figures import save_figure, sensitivity_figure

    (tmp / "figures").mkdir(exist_ok=True)
    md = ["## Sensitivity analysis", "",
          "Time paths of every population from the state where every share is 1/2, at five levels of each "
          "instrument (the others at their status-quo values), integrated in one batch. The switching values "
          "are exact.", ""]
    for run in study.sensitivity:
        p = run.parameter
        if run.result is None:
            md += [f"- `{p.name}`: not computed ({run.error})", ""]
            continue
        name = f"figures/sensitivity_{p.name}.png"
        save_figure(sensitivity_figure(run.result, title=f"{p.meaning or p.name} ({p.name})"), tmp / name)
        sw = ", ".join(f"{s.value}" for s in run.result.switches) or "none between the levels"
        md += [f"### {p.name}: {p.meaning}" if p.meaning else f"### {p.name}", "",
               f"![sensitivity to {p.name}]({name})", "", f"Switching values of {p.name}: {sw}.", ""]
    return md


def _bifurcation_lines(tmp: Path, study, results) -> list[str]:
    """The bifurcation diagram and table in the main instrument parameter."""
    from .analysis_figures import bifurcation_diagram, save_figure

    p, bif = study.main.parameter, study.bifurcation
    if bif is None:
        return [f"## Bifurcation in {p.name}", "", f"Not computed: {study.bifurcation_error}", ""] \
            if study.bifurcation_error else []
    name = f"figures/bifurcation_{p.name}.png"
    save_figure(bifurcation_diagram(bif, title=f"Rest points against {p.name}"), tmp / name)
    if results is not None:
        results["bifurcation"] = {"parameter": p.name, "critical": [str(c) for c in bif.critical],
                                  "branches": bif.to_dicts()}
    return [f"## Bifurcation in {p.name}", "", f"![bifurcation in {p.name}]({name})", "",
            "Solid: asymptotically stable; dashed: not. Critical values: "
            + (", ".join(str(c) for c in bif.critical) or "none") + ".", "", bif.to_markdown(), ""]


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
