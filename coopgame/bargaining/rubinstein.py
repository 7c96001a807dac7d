"""Rubinstein's alternating offers: :func:`rubinstein` and :func:`rubinstein_power` ([Rubinstein1982]_, [BRW1986]_).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from ..core.errors import ParameterError
from ..core.exact import FrozenMap, as_expr
from .parties import check_parties, check_unit_open


@dataclass(frozen=True)
class RubinsteinSolution:
    """The subgame-perfect split of Rubinstein's alternating-offers game.

    Attributes
    ----------
    delta_1, delta_2 : sympy.Expr
        The parties' discount factors per bargaining round.
    first_mover_share : sympy.Expr
        :math:`(1 - \\delta_2) / (1 - \\delta_1 \\delta_2)`, agreed in the first round.
    second_mover_share : sympy.Expr
        :math:`\\delta_2 (1 - \\delta_1) / (1 - \\delta_1 \\delta_2)`.
    surplus : sympy.Expr
        The size of the pie (1 unless given).
    payoffs : FrozenMap
        Party -> share times surplus.
    """

    delta_1: sympy.Expr
    delta_2: sympy.Expr
    first_mover_share: sympy.Expr
    second_mover_share: sympy.Expr
    surplus: sympy.Expr
    payoffs: FrozenMap


def rubinstein(delta_1, delta_2, *, surplus=1, parties=("first", "second")) -> RubinsteinSolution:
    """Rubinstein's alternating-offers bargaining: the unique subgame-perfect equilibrium split.

    Party 1 proposes first; a rejected offer costs a round, discounted by :math:`\\delta_i`. In the
    unique subgame-perfect equilibrium [Rubinstein1982]_ party 1's offer is accepted at once and
    gives it

    .. math:: \\frac{1 - \\delta_2}{1 - \\delta_1 \\delta_2}.

    Parameters
    ----------
    delta_1, delta_2 : number, expression or str
        Discount factors in the open interval (0, 1); symbols are accepted (a value provably
        outside raises).
    surplus : number, expression or str
        The size of the pie.
    parties : pair of str

    Raises
    ------
    ParameterError
        A discount factor outside (0, 1), naming it.

    Examples
    --------
    >>> rubinstein("9/10", "4/5").first_mover_share
    5/7
    >>> rubinstein("d", "d").first_mover_share
    1/(d + 1)
    """
    symbols: dict = {}
    d1 = check_unit_open(as_expr(delta_1, "delta_1", symbols), "delta_1")
    d2 = check_unit_open(as_expr(delta_2, "delta_2", symbols), "delta_2")
    s = as_expr(surplus, "surplus", symbols)
    parties = check_parties(parties)
    if len(parties) != 2:
        raise ParameterError("rubinstein needs two party names")
    first = sympy.factor(sympy.cancel((1 - d2) / (1 - d1 * d2)))
    second = sympy.factor(sympy.cancel(d2 * (1 - d1) / (1 - d1 * d2)))
    return RubinsteinSolution(d1, d2, first, second, s,
                              FrozenMap(zip(parties, (sympy.factor(first * s), sympy.factor(second * s)))))


def rubinstein_power(r_1, r_2) -> sympy.Expr:
    """Party 1's bargaining power implied by discount rates, in the continuous-time limit.

    With :math:`\\delta_i = e^{-r_i \\Delta}` and the time between offers :math:`\\Delta \\to 0`,
    the first mover's Rubinstein share tends to :math:`r_2/(r_1 + r_2)`: the Nash bargaining
    solution with powers :math:`\\beta_1 = r_2/(r_1+r_2)`, :math:`\\beta_2 = r_1/(r_1+r_2)`
    [BRW1986]_. The more patient party (smaller rate) has the larger power.

    Parameters
    ----------
    r_1, r_2 : number, expression or str
        Positive discount rates.

    Examples
    --------
    >>> rubinstein_power("0.05", "0.15")
    3/4
    >>> rubinstein_power("r_1", "r_2")
    r_2/(r_1 + r_2)
    """
    symbols: dict = {}
    a = as_expr(r_1, "r_1", symbols)
    b = as_expr(r_2, "r_2", symbols)
    for name, r in (("r_1", a), ("r_2", b)):
        if (r.is_number and not r > 0) or r.is_nonpositive:
            raise ParameterError(f"discount rate {name} = {r} must be positive")
    return sympy.cancel(b / (a + b))
