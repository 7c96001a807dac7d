"""Bargaining: who gets what when parties can agree.

Three solutions, each exact when its inputs are exact and symbolic when they are symbols.

*Generalised Nash bargaining, transferable utility* (:func:`nash_bargaining`). Parties
:math:`i = 1, \\dots, n` share a surplus :math:`S`; party :math:`i` gets :math:`d_i` if there is
no agreement and has bargaining power :math:`\\beta_i \\ge 0`. With :math:`w_i = \\beta_i /
\\sum_j \\beta_j`, the solution maximises :math:`\\prod_i (x_i - d_i)^{w_i}` over
:math:`\\sum_i x_i = S`; the first-order conditions give the closed form

.. math:: x_i = d_i + w_i \\Big(S - \\sum_j d_j\\Big),

and an agreement exists exactly when :math:`S > \\sum_j d_j`.

*Nash bargaining, non-transferable utility* (:func:`nash_bargaining_ntu`): outcome variables
:math:`z`, concave utilities :math:`u_i(z)`, a convex feasible set given by inequalities; the
solution maximises :math:`\\sum_i w_i \\log(u_i(z) - d_i)`. Solved numerically (scipy, several
starting points, verified) and symbolically from the Karush–Kuhn–Tucker conditions when sympy
can solve them.

*Kalai–Smorodinsky* (:func:`kalai_smorodinsky`, two parties) and *Rubinstein's alternating
offers* (:func:`rubinstein`, :func:`rubinstein_power`).

Examples
--------
Surplus 100, disagreement payoffs 20 and 10, equal powers: each gets its disagreement payoff plus
half of the net surplus 70.

>>> from coopgame.bargaining import nash_bargaining, rubinstein
>>> sol = nash_bargaining(100, {"enterprise": 20, "student": 10})
>>> dict(sol.payoffs)
{'enterprise': 55, 'student': 45}
>>> rubinstein("9/10", "9/10").first_mover_share
10/19

One solution per module: :mod:`.nash` (transferable utility), :mod:`.ntu` (non-transferable
utility), :mod:`.kalai_smorodinsky`, :mod:`.rubinstein`; :mod:`.parties` and :mod:`.frontier`
hold their shared helpers. :class:`FrozenMap` and the exact helpers (value maps, substitution,
deciding a condition) live in :mod:`coopgame.core.exact`.

References
----------
.. [Nash1950] J. Nash, "The bargaining problem", Econometrica 18 (1950) 155-162.
.. [Roth1979] A. E. Roth, *Axiomatic Models of Bargaining*, Springer (1979), ch. 1
   (the generalised, asymmetric solution).
.. [KS1975] E. Kalai and M. Smorodinsky, "Other solutions to Nash's bargaining problem",
   Econometrica 43 (1975) 513-518.
.. [Rubinstein1982] A. Rubinstein, "Perfect equilibrium in a bargaining model", Econometrica 50
   (1982) 97-109.
.. [BRW1986] K. Binmore, A. Rubinstein and A. Wolinsky, "The Nash bargaining solution in
   economic modelling", RAND Journal of Economics 17 (1986) 176-188.
"""

from __future__ import annotations

from ..core.exact import FrozenMap
from .kalai_smorodinsky import KalaiSmorodinskySolution, kalai_smorodinsky
from .nash import BargainingSolution, nash_bargaining
from .ntu import NTUBargainingSolution, nash_bargaining_ntu
from .rubinstein import RubinsteinSolution, rubinstein, rubinstein_power

__all__ = [
    "FrozenMap",
    "BargainingSolution",
    "NTUBargainingSolution",
    "KalaiSmorodinskySolution",
    "RubinsteinSolution",
    "nash_bargaining",
    "nash_bargaining_ntu",
    "kalai_smorodinsky",
    "rubinstein",
    "rubinstein_power",
]
