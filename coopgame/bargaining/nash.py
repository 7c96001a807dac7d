"""Generalised Nash bargaining with transferable utility: :func:`nash_bargaining`.

With :math:`w_i = \\beta_i / \\sum_j \\beta_j` the solution maximises
:math:`\\prod_i (x_i - d_i)^{w_i}` over :math:`\\sum_i x_i = S`, which gives
:math:`x_i = d_i + w_i (S - \\sum_j d_j)`; an agreement exists exactly when :math:`S > \\sum_j d_j`
([Nash1950]_, [Roth1979]_).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from ..core.errors import ParameterError
from ..core.exact import FrozenMap, as_expr, decide, free_names, relation, substitute, value_map
from .parties import check_parties, normalised_powers, party_values, simplify_closed


@dataclass(frozen=True)
class BargainingSolution:
    """The generalised Nash bargaining solution with transferable utility.

    Attributes
    ----------
    parties : tuple of str
        The parties, in order.
    surplus : sympy.Expr
        The surplus :math:`S` to be shared.
    disagreement : FrozenMap
        Party -> disagreement payoff :math:`d_i`.
    powers : FrozenMap
        Party -> bargaining power as given (:math:`\\beta_i`; equal powers when none were given).
    shares : FrozenMap
        Party -> normalised power :math:`w_i = \\beta_i / \\sum_j \\beta_j`, the party's share of the
        net surplus :math:`S - \\sum_j d_j`.
    payoffs : FrozenMap
        Party -> :math:`x_i = d_i + w_i (S - \\sum_j d_j)`.
    agreement_condition : sympy Boolean
        :math:`S > \\sum_j d_j`: the parties gain from agreeing (``sympy.true``/``false`` when decided).
    """

    parties: tuple
    surplus: sympy.Expr
    disagreement: FrozenMap
    powers: FrozenMap
    shares: FrozenMap
    payoffs: FrozenMap
    agreement_condition: Any

    @property
    def net_surplus(self) -> sympy.Expr:
        """:math:`S - \\sum_j d_j`, the gain from agreement that is split by the shares."""
        return sympy.expand(self.surplus - sympy.Add(*self.disagreement.values()))

    def subs(self, values) -> BargainingSolution:
        """The solution with parameter values substituted (keys: names or symbols).

        Names that do not occur in the solution are ignored, so a model's whole set of values
        can be passed.

        Examples
        --------
        >>> sol = nash_bargaining("L - c", {"enterprise": "o_e", "student": "o_s"})
        >>> sol.subs({"L": 100, "c": 0, "o_e": 20, "o_s": 10}).payoffs["student"]
        45
        """
        vmap = value_map(values)
        return BargainingSolution(
            self.parties,
            substitute(self.surplus, vmap),
            FrozenMap((k, substitute(v, vmap)) for k, v in self.disagreement.items()),
            FrozenMap((k, substitute(v, vmap)) for k, v in self.powers.items()),
            FrozenMap((k, substitute(v, vmap)) for k, v in self.shares.items()),
            FrozenMap((k, substitute(v, vmap)) for k, v in self.payoffs.items()),
            simplify_closed(substitute(self.agreement_condition, vmap)),
        )

    def agrees(self, values=None) -> bool:
        """Whether an agreement exists at the given values."""
        return decide(substitute(self.agreement_condition, value_map(values)), "agreement condition")

    def _parameter_names(self) -> set[str]:
        return free_names(self.surplus, self.disagreement, self.powers)

    def to_markdown(self) -> str:
        """A table: party, disagreement payoff, power, share of the net surplus, payoff.

        Examples
        --------
        >>> print(nash_bargaining(100, [20, 10], [7, 3], parties=["e", "s"]).to_markdown())
        | party | disagreement payoff | bargaining power | share of net surplus | payoff |
        |---|---|---|---|---|
        | e | 20 | 7 | 7/10 | 69 |
        | s | 10 | 3 | 3/10 | 31 |
        <BLANKLINE>
        Surplus 100; agreement if True.
        """
        from ..core.formatting import markdown_table

        rows = [[p, self.disagreement[p], self.powers[p], self.shares[p], self.payoffs[p]] for p in self.parties]
        table = markdown_table(["party", "disagreement payoff", "bargaining power", "share of net surplus", "payoff"], rows)
        return f"{table}\n\nSurplus {self.surplus}; agreement if {self.agreement_condition}."


def nash_bargaining(surplus, disagreement, powers=None, *, parties=None, values=None) -> BargainingSolution:
    """The generalised Nash bargaining solution with transferable utility, in closed form.

    Each party receives its disagreement payoff plus its normalised power's share of the net
    surplus:

    .. math:: x_i = d_i + \\frac{\\beta_i}{\\sum_j \\beta_j} \\Big(S - \\sum_j d_j\\Big),

    the maximiser of :math:`\\prod_i (x_i - d_i)^{\\beta_i}` on :math:`\\sum_i x_i = S` [Roth1979]_.
    It is Pareto-efficient (the payoffs add up to :math:`S`) and individually rational
    (:math:`x_i \\ge d_i`) whenever the agreement condition :math:`S > \\sum_j d_j` holds.

    Parameters
    ----------
    surplus : number, sympy expression or str
        The total :math:`S` to share, e.g. ``"L - c_e - c_s"`` (strings go through the safe parser).
    disagreement : mapping party -> value, or sequence
        The disagreement (outside-option) payoffs :math:`d_i`; a mapping also names the parties.
    powers : mapping or sequence, optional
        Bargaining powers :math:`\\beta_i \\ge 0`, not all zero (normalised here); equal if omitted.
    parties : sequence of str, optional
        Party names (default: the keys of ``disagreement``, or ``party_1, party_2, ...``).
    values : mapping, optional
        Parameter values (keyed by name or symbol) to substitute into the result.

    Returns
    -------
    BargainingSolution

    Raises
    ------
    ParameterError
        A negative power, all powers zero, a missing value, a non-finite number.
    UnknownNameError
        Powers or disagreement payoffs given for parties not in ``parties``.

    Examples
    --------
    >>> sol = nash_bargaining(100, {"enterprise": 20, "student": 10}, {"enterprise": "7/10", "student": "3/10"})
    >>> sol.payoffs["enterprise"], sol.payoffs["student"]
    (69, 31)
    >>> sym = nash_bargaining("L - c", {"enterprise": "o_e", "student": "o_s"}, {"enterprise": "b", "student": "1 - b"})
    >>> sym.payoffs["student"]
    o_s + (1 - b)*(L - c - o_e - o_s)
    >>> sym.agreement_condition
    L > c + o_e + o_s
    """
    symbols: dict = {}
    parties = check_parties(parties)
    surplus_e = as_expr(surplus, "surplus", symbols)
    parties, d = party_values(disagreement, parties, "disagreement payoff", symbols)
    if not parties:
        raise ParameterError("bargaining needs at least one party")
    raw, weights = normalised_powers(powers, parties, symbols)
    value_map(values, free_names(surplus_e, d, raw), "this bargaining problem")  # unknown names raise
    net = surplus_e - sympy.Add(*d)
    payoffs = tuple(_tidy(di, w, net) for di, w in zip(d, weights))
    cond = relation(net, strict=True)
    sol = BargainingSolution(
        parties,
        surplus_e,
        FrozenMap(zip(parties, d)),
        FrozenMap(zip(parties, raw)),
        FrozenMap(zip(parties, weights)),
        FrozenMap(zip(parties, payoffs)),
        cond,
    )
    return sol.subs(values) if values else sol


def _tidy(d, w, net):
    """``d + w*net`` exactly; symbolic payoffs keep the readable form ``d_i + w_i (S - sum d)``."""
    expr = d + w * net
    if expr.is_number:
        return sympy.nsimplify(expr) if expr.has(sympy.Float) else sympy.expand(expr)
    if w == 1:
        return sympy.expand(expr)
    if w == 0:
        return d
    return expr
