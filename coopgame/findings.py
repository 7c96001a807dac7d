"""Findings of the catalogue, generated from the models: which settings sustain cooperation.

For every registered model, :func:`model_findings` runs the analysis pipeline
(:func:`coopgame.analysis.pipeline.analyze`, the one ``coopgame report`` uses) twice, on the
status quo and with every instrument, and reads off, exactly:

* the stability table of the pure profiles (a profile is asymptotically stable under the
  multi-population replicator dynamics iff it is a strict Nash equilibrium, Selten 1980): the
  condition with every instrument switched on, and the verdict in the status quo and at the
  documented policy level;
* the condition under which full cooperation (the model's target) is stable, without policy
  and with each instrument;
* for each instrument alone, the smallest level that makes full cooperation stable at the other
  defaults (the pipeline's :class:`~coopgame.analysis.pipeline.InstrumentThreshold`) and what the
  public budget pays at the cooperative state at that level, inspection and publicity costs
  included;
* the cheapest mix of instruments and its cost to the public budget
  (:func:`coopgame.analysis.cheapest_policy`, an exact linear programme; the tests check it
  against an independent vertex enumeration);
* for models with a ``government`` player, whether the government's own strategy at full
  cooperation is a strict best reply (self-sustaining) or only scaffolding;
* model-specific results (bargaining split, cheap-labour region, critical discount factors)
  from a ``findings_extra(model)`` function of the model's module, when it has one, and any
  extra analysis of the model with a ``to_markdown`` method.

:func:`findings_markdown` renders all of it as one deterministic Markdown document;
``python -m coopgame.findings docs/findings.md`` writes it and one regime map per model under
``docs/figures/`` (:func:`regime_figure`), and ``--check`` tells whether the committed file is
current.

Examples
--------
>>> from coopgame.models import get
>>> f = model_findings(get("school_enterprise"))
>>> f.status_quo_stable
(('deep', 'nominal'),)
>>> [(t.parameter, t.minimum, t.cost) for t in f.thresholds]  # P = 1 costs its inspections, kappa P = 1/2
[('s', 1, 1), ('tau', 1/6, 1), ('P', 1, 1/2), ('T', 1, 0)]
>>> f.cheapest.cost, f.cheapest.free  # the school's transfer T is the only free instrument
(0, ('T',))
>>> f.cheapest_paid.cost  # by public instruments alone: the penalty, at its inspection cost
1/2
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sympy

from .analysis import strict_nash_condition
from .analysis.pipeline import Analysis, InstrumentThreshold, analyze
from .core.errors import SolverError
from .core.exact import relation
from .core.formatting import markdown_table
from .core.game import Game
from .core.io import write_text_atomically
from .equilibria import deviation_gains
from .models import Model, available, get, names

__all__ = ["InstrumentThreshold", "PolicyMix", "ModelFindings", "model_findings", "findings_markdown",
           "public_cost", "policy_mix", "main"]

#: Players whose payments count as public spending, besides the outside budget.
PUBLIC_PLAYERS = ("government",)


@dataclass(frozen=True)
class PolicyMix:
    """The cheapest mix of instrument levels that makes full cooperation stable.

    Attributes
    ----------
    levels : tuple of (str, sympy number)
        A minimising mix (the first vertex of the closed region found with minimal cost, in a
        fixed enumeration order).
    cost : sympy number
        The infimum of public spending at the cooperative state over all stabilising mixes.
    free : tuple of str
        Instrument parameters that cost the public budget nothing at the cooperative state.
    attained : bool or None
        Whether some stabilising mix costs exactly ``cost`` (``None`` when not determined).
    """

    levels: tuple
    cost: Any
    free: tuple
    attained: bool | None = None


@dataclass(frozen=True)
class ModelFindings:
    """Everything :func:`findings_markdown` reports about one model (see the module docstring).

    ``analyses`` keeps the two :class:`~coopgame.analysis.pipeline.Analysis` objects the findings
    were read from: the status quo and the game with every instrument.
    """

    name: str
    title: str
    target: tuple
    players: tuple
    status_quo_stable: tuple
    policy_stable: tuple
    policy_levels: tuple
    stability_rows: tuple
    target_condition_status_quo: Any
    target_condition_policy: Any
    thresholds: tuple
    cheapest: PolicyMix | None
    cheapest_note: str
    cheapest_paid: PolicyMix | None
    government: tuple
    extra_sections: tuple
    figure: tuple | None = None
    zero_note: str = ""
    analyses: tuple = dataclasses.field(default=(), compare=False, repr=False)

    def to_markdown(self) -> str:
        """The findings of the model as a Markdown section."""
        return _render(self)


# ---------------------------------------------------------------------------- helpers
def _for(game: Game, values) -> dict:
    keep = {p.name for p in game.parameters}
    return {s: v for s, v in values.items() if s.name in keep}


def _stable_at(analysis: Analysis, values) -> tuple:
    """The strict equilibria of an analysis whose exact conditions hold at ``values``.

    The conditions were derived once by the pipeline; other values only evaluate them.
    """
    vals = {s.name: v for s, v in _for(analysis.game, values).items()}
    return tuple(tuple(e.profile) for e in analysis.strict_equilibria if e.holds(vals))


def public_cost(game: Game, profile) -> sympy.Expr:
    """Net public spending at a profile: what the outside budget and the government pay.

    Sums the recorded policy effects (:attr:`~coopgame.game.Game.policy_effects`) at the profile
    on the outside budget and on the government players (:data:`PUBLIC_PLAYERS` and every player
    whose name ends in ``_government``), with the sign flipped
    (a payment is a positive cost, a collected penalty a negative one).

    Examples
    --------
    >>> from coopgame.models import get
    >>> m = get("government_school_enterprise")
    >>> public_cost(m.with_policy(), m.target)  # relief, subsidy, inspections, publicity campaign
    C_e*tau + P*kappa + kappa_r*r + s
    """
    from .analysis.cheapest import government_players

    names_ = game.profile_names(profile)
    public = set(PUBLIC_PLAYERS) | set(government_players(game))
    total = sympy.Integer(0)
    for e in game.policy_effects:
        if e.profile == names_ and (e.player is None or e.player in public):
            total -= e.delta
    return sympy.expand(total)


def policy_mix(model: Model, instrument_names: Sequence[str] = ()) -> tuple[PolicyMix | None, str]:
    """The cheapest stabilising mix from :func:`coopgame.analysis.cheapest_policy`.

    The cost is :func:`public_cost` at the target with the other parameters at their defaults.
    The tests compute the same infimum independently (vertex enumeration with exact rationals).

    Examples
    --------
    >>> from coopgame.models import get
    >>> mix, note = policy_mix(get("government_school_enterprise"), ["tax_relief", "fund_guarantee"])
    >>> mix.cost, mix.attained
    (1, False)
    """
    from .analysis import cheapest_policy

    game = model.with_policy(*instrument_names)
    present = {p.name for p in game.parameters}
    inst = [p for p in model.instrument_parameters if p.name in present]
    if not inst:
        return None, "the model has no instrument parameters"
    variables = {p.symbol for p in inst}
    others = {s: v for s, v in _for(game, model.defaults).items() if s not in variables}
    cost = public_cost(game, model.target).xreplace(others)
    try:
        best = cheapest_policy(game, model.target, [p.name for p in inst], costs=cost, values=others)
    except SolverError as exc:
        return None, f"not computed: {exc}"
    if best.status == "infeasible":
        return None, "no mix of the instruments makes full cooperation stable"
    if best.status != "optimal":
        return None, f"not computed: the programme is {best.status}"
    levels = tuple((p.name, sympy.nsimplify(best.levels[p.name])) for p in inst)
    free = tuple(p.name for p in inst if sympy.expand(cost).coeff(p.symbol) == 0)
    return PolicyMix(levels, sympy.nsimplify(best.cost), free, bool(best.attained)), ""


def _thresholds(model: Model, analysis: Analysis) -> tuple:
    """The pipeline's thresholds (each instrument alone, other parameters at the defaults), each
    with the exact stability condition of the target and the public cost at the smallest level."""
    out = []
    for t in analysis.thresholds:
        game = model.with_policy(t.instrument)
        one = dataclasses.replace(t, condition=strict_nash_condition(game, model.target))
        if one.minimum is not None:
            symbol = game.symbol(t.parameter)
            values = {s: v for s, v in _for(game, model.defaults).items() if s != symbol}
            one = dataclasses.replace(one, cost=sympy.nsimplify(
                public_cost(game, model.target).xreplace({**values, symbol: one.minimum})))
        out.append(one)
    return tuple(out)


def _government(model: Model, status: Analysis, policy: Analysis, cheapest: PolicyMix | None) -> tuple:
    """Lines about the government's own incentive at full cooperation."""
    game = policy.game
    if "government" not in game.players:
        return ()
    i = game.players.index("government")
    own = model.target[i]
    lines = []
    conds = [relation(d, strict=True) for player, _alt, d in deviation_gains(game, model.target)
             if player == "government"]
    cond = sympy.And(*conds)
    lines.append(f"The government's strategy *{own}* is a strict best reply at full cooperation iff "
                 f"`{cond}`.")
    for profile in _stable_at(status, model.defaults):
        if profile[i] == own:
            continue
        start = [relation(-d, strict=True) for player, alt, d in deviation_gains(game, profile)
                 if player == "government" and alt == own]
        if start:
            lines.append(f"At the status-quo state {_profile(profile)}, with the instruments in place, the government "
                         f"turns *{own}* iff `{sympy.And(*start)}`; while it does not, that state stays stable and "
                         "the policy never starts.")
    settings = [("the documented policy level", model.values(policy=True))]
    if cheapest is not None:
        settings.append(("the cheapest mix", model.values(dict(cheapest.levels))))
    for label, vals in settings:
        ok = bool(cond.xreplace(_for(game, vals))) if cond not in (sympy.true, sympy.false) else bool(cond)
        if ok:
            lines.append(f"At {label} it is: active governance is self-sustaining there.")
        else:
            dev = list(model.target)
            alts = [a for a in game.strategy_lists[i] if a != own]
            dev[i] = alts[0]
            stays = tuple(dev) in _stable_at(policy, vals)
            tail = (f"the profile ({', '.join(dev)}) is stable there, so cooperation outlives the policy"
                    if stays else f"without it ({', '.join(dev)}) is not stable: the government's policy is "
                                  "scaffolding that cooperation needs but the government would not keep up")
            lines.append(f"At {label} it is not: {tail}.")
    return tuple(lines)


def figure_axes(model: Model, thresholds: Sequence[InstrumentThreshold] = ()) -> tuple | None:
    """The two instrument parameters and ranges of the model's regime map, or None.

    The vertical axis is the first instrument of the documented policy level; the horizontal
    axis the first instrument parameter of another instrument. Bounded domains are drawn
    whole; unbounded ones from 0 to twice the larger of the documented level and the smallest
    stabilising level (at least 1), rounded up to an integer.

    Returns
    -------
    tuple or None
        ``((x_name, x_low, x_high), (y_name, y_low, y_high))``.
    """
    if not model.policy_levels:
        return None
    y_name = model.policy_levels[0][0]
    group_of = {}
    for name, _group in model.instruments:
        for p in model.with_policy(name).parameters:
            if p.name in {q.name for q in model.instrument_parameters}:
                group_of.setdefault(p.name, name)
    if y_name not in group_of:
        return None
    x_name = next((p.name for p in model.instrument_parameters
                   if p.name in group_of and group_of[p.name] != group_of[y_name]), None)
    if x_name is None:
        return None
    minima = {t.parameter: t.minimum for t in thresholds if t.minimum is not None}
    levels = dict(model.policy_levels)

    def axis(name):
        iv = model.parameter(name).domain.interval
        low = iv.start if iv.start.is_finite else sympy.Integer(0)
        if iv.end.is_finite:
            return name, low, iv.end
        top = max([sympy.Integer(1), levels.get(name, sympy.Integer(0)), minima.get(name, sympy.Integer(0))])
        return name, low, sympy.ceiling(2 * top)

    return axis(x_name), axis(y_name)


def regime_figure(model: Model, path, *, points: int = 61, thresholds: Sequence[InstrumentThreshold] = ()):
    """Draw and save the model's regime map over two instruments (see :func:`figure_axes`).

    Sweeps the game with every instrument over an exact grid (other parameters at their
    defaults) with :func:`coopgame.analysis.sweep`, colours each point by the set of stable
    profiles, and draws the exact boundaries of the full-cooperation condition
    (:func:`coopgame.report.figures.regime_map`). Needs matplotlib.

    Returns
    -------
    pathlib.Path or None
        The file written, or None when the model has no two instruments to map.
    """
    from .analysis import exact_linspace, sweep
    from .report.figures import regime_map

    spec = figure_axes(model, thresholds)
    if spec is None:
        return None
    (x, x0, x1), (y, y0, y1) = spec
    game = model.with_policy()
    values = {s.name: v for s, v in _for(game, model.defaults).items() if s.name not in (x, y)}
    grid = {y: exact_linspace(y0, y1, points), x: exact_linspace(x0, x1, points)}
    result = sweep(game, grid, values, progress=False)
    cond = strict_nash_condition(game, model.target)
    atoms = cond.args if isinstance(cond, sympy.And) else (cond,)
    curves = [a for a in atoms if isinstance(a, sympy.core.relational.Relational)
              and {x, y} & {sym.name for sym in a.free_symbols}
              and _crosses(a, (x, x0, x1), (y, y0, y1), values)]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    regime_map(result, x=x, y=y, curves=curves, values=values, figsize=(6.4, 4.8),
               title=f"{model.name}: stable states", path=path, dpi=100)
    return path


def _crosses(relation, x_axis, y_axis, values, samples: int = 401) -> bool:
    """Whether the zero set of ``lhs - rhs`` of ``relation`` meets the map's box.

    The difference is evaluated, at ``values`` for the other parameters, on a
    ``samples`` x ``samples`` grid of the box; it crosses where it takes both signs or is zero
    there. An atom of the target's condition that never changes sign on the box (such as
    ``F + rho + 3 > 0`` for nonnegative ``F`` and ``rho``) bounds no region of the map and is
    not drawn.
    """
    import numpy as np

    from .core.exact import substitute, value_map
    from .core.numeric import numpy_function

    (x, x0, x1), (y, y0, y1) = x_axis, y_axis
    expr = substitute(relation.lhs - relation.rhs, value_map(values))
    by_name = {s.name: s for s in expr.free_symbols}
    xs = np.linspace(float(x0), float(x1), samples)[None, :]
    ys = np.linspace(float(y0), float(y1), samples)[:, None]
    symbols = tuple(by_name.get(name, sympy.Dummy(name)) for name in (x, y))
    if expr.free_symbols - set(symbols):
        return True  # not decidable here: keep it, and let the drawing say what it lacks
    with np.errstate(all="ignore"):
        z = np.broadcast_to(np.asarray(numpy_function(symbols, expr)(xs, ys), dtype=float), (samples, samples))
    z = z[np.isfinite(z)]
    return z.size > 0 and z.min() <= 0 <= z.max()


def _repetition(model: Model) -> str:
    """Whether repetition alone (grim trigger, no policy, defaults) sustains full cooperation."""
    from .core.errors import GameDefinitionError
    from .repeated import critical_discount_factor

    game = model.game
    values = {s.name: v for s, v in _for(game, model.defaults).items()}
    try:
        r = critical_discount_factor(game, model.target, "nash", values=values)
        how = f"reversion to the stage equilibrium {_profile(r.punishment_profile)}"
    except GameDefinitionError:
        r = critical_discount_factor(game, model.target, "minmax", values=values)
        how = ("minmax punishment, which bounds what any grim-trigger punishment can achieve (the stage game has "
               "no unique pure equilibrium to revert to)")
    per = ", ".join(f"{k} {v}" for k, v in r.per_player.items())
    head = (f"**Repetition alone** (no policy, defaults, grim trigger with {how}; perfect monitoring: every "
            "deviation is seen by the others at once and punished from the next period on): ")
    if r.condition is sympy.true or r.condition is True:
        return head + (f"full cooperation lasts iff the discount factor is at least {r.delta} "
                       f"(per player: {per}; Friedman 1971).")
    blocked = [k for k in r.players if r.deviation[k] > r.cooperation[k] and not r.cooperation[k] > r.punishment_payoffs[k]]
    return head + ("no discount factor below 1 sustains full cooperation: the punishment leaves "
                   + ", ".join(blocked) + " at least as well off as cooperating, so the threat is empty.")


def _extra_sections(model: Model) -> tuple:
    sections = [_repetition(model)]
    info = next((i for i in available() if i.name == model.name), None)
    if info is not None:
        module = importlib.import_module(info.module)
        extra = getattr(module, "findings_extra", None)
        if callable(extra):
            sections.append(str(extra(model)).rstrip())
    for key, value in model.extras:
        if isinstance(value, Game):  # variants of the game; their analysis belongs to the model's own section
            continue
        render = getattr(value, "to_markdown", None)
        if callable(render):
            try:
                text = render()
            except Exception as exc:  # an extra that cannot be rendered at its symbolic state
                text = f"(not rendered: {type(exc).__name__})"
            sections.append(f"**{key}**\n\n{str(text).rstrip()}")
    return tuple(s for s in sections if s)


def model_findings(model: Model) -> ModelFindings:
    """Compute the findings of one model (see the module docstring).

    Parameters
    ----------
    model : Model

    Returns
    -------
    ModelFindings
    """
    status = analyze(model, stability=False)
    policy = analyze(model, policy="all", stability=False, thresholds=False)
    game = policy.game
    rows = [(tuple(e.profile), e.condition) for e in policy.strict_equilibria]
    stable_now = tuple(tuple(e.profile) for e in status.strict_equilibria if status.holds(e))
    with_policy = tuple(tuple(e.profile) for e in policy.strict_equilibria if policy.holds(e))
    stability_rows = tuple((profile, cond, profile in stable_now, profile in with_policy) for profile, cond in rows)
    thresholds = _thresholds(model, status)
    cheapest, note = policy_mix(model)
    paid = None
    if cheapest is not None and cheapest.free:
        groups = [n for n, _ in model.instruments
                  if not ({p.name for p in model.with_policy(n).parameters} & set(cheapest.free))]
        if groups:
            paid, _ = policy_mix(model, groups)
    return ModelFindings(
        name=model.name,
        title=model.title,
        target=model.target,
        players=model.game.players,
        status_quo_stable=stable_now,
        policy_stable=with_policy,
        policy_levels=model.policy_levels,
        stability_rows=stability_rows,
        target_condition_status_quo=strict_nash_condition(model.game, model.target),
        target_condition_policy=strict_nash_condition(game, model.target),
        thresholds=thresholds,
        cheapest=cheapest,
        cheapest_note=note,
        cheapest_paid=paid,
        government=_government(model, status, policy, cheapest),
        extra_sections=_extra_sections(model),
        figure=figure_axes(model, thresholds),
        zero_note=_zero_note(model, cheapest),
        analyses=(status, policy),
    )


def _why_free(model: Model, name: str) -> str:
    """Why the instrument parameter ``name`` costs the public budget nothing at full cooperation."""
    from .policy import Expense, Penalty, Reputation, Subsidy, TaxRelief

    game = model.with_policy()
    reasons = []
    for group_name, group in model.instruments:
        if name not in {p.name for p in model.with_policy(group_name).parameters}:
            continue
        for inst in group:
            if isinstance(inst, Expense):
                continue
            if isinstance(inst, Reputation):
                reason = f"{name} ({group_name}) is a reputation gain nobody pays for"
            elif isinstance(inst, Penalty) or not inst.matches(game, model.target):
                reason = (f"{name} ({group_name}) is paid only by a party that does not cooperate (a penalty or "
                          "damages), so never at full cooperation")
            elif isinstance(inst, (Subsidy, TaxRelief)) or inst.payer is None or inst.payee is None:
                reason = f"{name} ({group_name}) is paid by a party that is not the public budget"
            else:
                reason = (f"{name} ({group_name}) is a transfer from {inst.payer} to {inst.payee}: it moves "
                          "money between the parties, paid out of their own gains, and the public budget pays "
                          "nothing")
            if reason not in reasons:
                reasons.append(reason)
    return "; ".join(reasons) or f"{name} costs the public budget nothing at full cooperation"


def _zero_note(model: Model, cheapest: PolicyMix | None) -> str:
    """A plain statement of what a zero public cost rests on (empty when the cost is not zero)."""
    if cheapest is None or cheapest.cost != 0:
        return ""
    from .policy import Expense

    game = model.with_policy()
    priced = sorted({i.describe() for i in game.policies if isinstance(i, Expense)})
    out = ("**What the zero means.** The public budget pays nothing at full cooperation only because "
           + "; and ".join(_why_free(model, n) for n in cheapest.free) + ". ")
    if priced:
        out += ("Enforcement and publicity are priced in this model (" + ", ".join(priced) + "), and the cheapest "
                "mix avoids them: the zero is what cooperation costs the public budget when the parties "
                "themselves carry it, not a cost left out. ")
    else:
        out += ("This model charges nothing for monitoring or inspection (no inspection cost, no detection "
                "probability) nor for publicity (no campaign cost, no cap), so the zero is true by construction, "
                "not a finding that cooperation is free; `central_local_government` prices both. ")
    return out.rstrip()


# ---------------------------------------------------------------------------- rendering
def _profile(p) -> str:
    return "(" + ", ".join(p) + ")"


def _math(expr) -> str:
    return f"`{expr}`"


def _render(f: ModelFindings) -> str:
    lines = [f"## {f.title}", "", f"Model `{f.name}`; players {', '.join(f.players)}; full cooperation "
             f"{_profile(f.target)}. Defaults are illustrative, not estimates.", ""]
    lines += ["**In short.** " + _summary(f), ""]
    status = ", ".join(_profile(p) for p in f.status_quo_stable) or "none (no pure profile is stable)"
    lines += [f"**Status quo (no policy, defaults).** Stable states: {status}. Full cooperation is "
              + ("stable." if f.target in f.status_quo_stable else "not stable."),
              "", f"Without policy, full cooperation is stable iff {_math(f.target_condition_status_quo)}.", "",
              f"With every instrument, it is stable iff {_math(f.target_condition_policy)}.", ""]
    levels = ", ".join(f"{k} = {v}" for k, v in f.policy_levels)
    stable = ", ".join(_profile(p) for p in f.policy_stable) or "none"
    lines += [f"**Documented policy level** ({levels}): stable states {stable}.", ""]
    lines += ["**Stability table** (a pure profile is asymptotically stable under the replicator dynamics iff "
              "it is a strict Nash equilibrium; conditions with every instrument switched on):", ""]
    table_rows = [[_profile(p), str(c), "yes" if a else "no", "yes" if b else "no"]
                  for p, c, a, b in f.stability_rows]
    lines += [markdown_table(["profile", "stable iff", "status quo", "policy level"], table_rows), ""]
    if f.thresholds:
        lines += ["**Each instrument alone** (other parameters at their defaults; public spending at full "
                  "cooperation at the smallest level):", ""]
        trows = []
        for t in f.thresholds:
            cost = "-" if t.cost is None else str(t.cost)
            trows.append([t.instrument, t.parameter, t.levels_text(), cost, str(t.condition)])
        lines += [markdown_table(["instrument", "level", "stabilising levels", "public cost", "condition"], trows),
                  ""]
    if f.cheapest is not None:
        mix = ", ".join(f"{k} = {v}" for k, v in f.cheapest.levels)
        free = ", ".join(f.cheapest.free) or "none"
        how = (f"attained, e.g. at {mix}" if f.cheapest.attained
               else f"an infimum, approached as the levels tend to {mix}")
        lines += [f"**Cheapest mix.** Public spending at full cooperation can be brought down to "
                  f"{f.cheapest.cost} ({how}). Instruments free for the public budget at full cooperation: "
                  f"{free}.", ""]
        if f.cheapest_paid is not None:
            paid = ", ".join(f"{k} = {v}" for k, v in f.cheapest_paid.levels)
            how = "attained" if f.cheapest_paid.attained else "an infimum"
            lines += [f"Without the free instruments (by budget alone) the cheapest mix costs {f.cheapest_paid.cost} "
                      f"({how}; levels {paid}).", ""]
    elif f.cheapest_note:
        lines += [f"**Cheapest mix.** {f.cheapest_note[0].upper()}{f.cheapest_note[1:]}.", ""]
    if f.zero_note:
        lines += [f.zero_note, ""]
    if f.government:
        lines += ["**The government's own incentive.** " + " ".join(f.government), ""]
    if f.figure is not None:
        (x, x0, x1), (y, y0, y1) = f.figure
        lines += [f"**Regime map** over {x} in [{x0}, {x1}] and {y} in [{y0}, {y1}], other parameters at their "
                  "defaults (generated with the document):", "",
                  f"![Regime map of {f.name}](figures/{f.name}-regimes.png)", ""]
    for section in f.extra_sections:
        lines += [section, ""]
    return "\n".join(lines).rstrip() + "\n"


def _summary(f: ModelFindings) -> str:
    """A plain-language paragraph generated from the findings."""
    if f.target in f.status_quo_stable:
        out = [f"Without policy, full cooperation {_profile(f.target)} already lasts at the defaults."]
    elif f.status_quo_stable:
        out = [f"Without policy, cooperation does not last: the system settles at "
               f"{' or '.join(_profile(p) for p in f.status_quo_stable)}."]
    else:
        out = ["Without policy, no pure state is stable: full cooperation does not last, and behaviour settles on "
               "no pure profile."]
    works = [t for t in f.thresholds if t.minimum is not None]
    fails = [t for t in f.thresholds if t.minimum is None]
    if works:
        out.append("On its own, " + "; ".join(f"{t.instrument} sustains it for {t.levels_text()}" for t in works)
                   + ".")
    if fails:
        out.append("Alone, " + ", ".join(t.instrument for t in fails) + (" does" if len(fails) == 1 else " do")
                   + " not suffice at the defaults.")
    if f.cheapest is not None:
        inf = "" if f.cheapest.attained else " in the limit"
        zero = (" (see what the zero means below)" if "priced in this model" in f.zero_note
                else " (a zero by construction, see what the zero means below)" if f.zero_note else "")
        out.append(f"The cheapest stabilising mix costs the public budget {f.cheapest.cost}{inf}{zero} at full cooperation"
                   + (f" (by budget instruments alone: {f.cheapest_paid.cost}{'' if f.cheapest_paid.attained else ' in the limit'})."
                      if f.cheapest_paid is not None else "."))
    other = [p for p in f.policy_stable if p != f.target]
    if f.target in f.policy_stable and other:
        out.append(f"At the documented policy level cooperation is stable but so is {' and '.join(map(_profile, other))}: "
                   "where the system ends depends on where it starts.")
    elif f.target in f.policy_stable:
        out.append("At the documented policy level full cooperation is the only stable state.")
    return " ".join(out)


_PREAMBLE = """# Findings

Generated by `python -m coopgame.findings docs/findings.md` from the models of the catalogue
(`coopgame.models`); do not edit by hand. For each model: which states are stable, the exact
conditions for full cooperation, the smallest level of each instrument that makes it stable and
what it costs the public budget, the cheapest mix, the government's own incentive, and the
model's own questions (bargaining split, cheap labour, critical discount factors).

All parameter defaults are illustrative: they are chosen to reproduce the status quo the seed
papers describe, not estimated from data. The conditions hold for every parameter value; the
numbers hold at the defaults. Conditions are strict inequalities, so a stated smallest level
is an infimum: any level above it works. "Stable" means asymptotically stable under the
multi-population replicator dynamics, which for a pure profile is the same as being a strict
Nash equilibrium (Selten 1980).
"""


def findings_markdown(model_names: Sequence[str] | None = None) -> str:
    """The findings document: one section per model, deterministic.

    Parameters
    ----------
    model_names : sequence of str, optional
        Registry names (default: every registered model, in catalogue order).
    """
    chosen = list(model_names) if model_names is not None else names()
    parts = [_PREAMBLE]
    for name in chosen:
        parts.append(model_findings(get(name)).to_markdown())
    return "\n".join(parts).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the findings document, or check that a committed one is current.

    ``python -m coopgame.findings [PATH] [--check]``; PATH defaults to ``docs/findings.md``.
    Returns 0 on success, 1 when ``--check`` finds the file stale.
    """
    parser = argparse.ArgumentParser(prog="python -m coopgame.findings", description=main.__doc__)
    parser.add_argument("path", nargs="?", default="docs/findings.md")
    parser.add_argument("--check", action="store_true", help="exit with 1 if the file is not current")
    parser.add_argument("--no-figures", action="store_true", help="do not draw the regime maps")
    args = parser.parse_args(argv)
    text = findings_markdown()
    path = Path(args.path)
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            print(f"{path} is stale; regenerate it with: python -m coopgame.findings {path}", file=sys.stderr)
            return 1
        return 0
    write_text_atomically(path, text)
    if not args.no_figures:
        for name in names():
            model = get(name)
            status = analyze(model, stability=False, equilibria=False)
            regime_figure(model, path.parent / "figures" / f"{name}-regimes.png",
                          thresholds=_thresholds(model, status))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
