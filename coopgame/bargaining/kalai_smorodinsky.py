"""The Kalai-Smorodinsky solution of a two-party bargaining problem ([KS1975]_).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from ..core.errors import ParameterError
from ..core.exact import FrozenMap, as_expr, free_names, substitute, value_map
from .frontier import frontier_root, simplified
from .parties import check_parties, party_values


@dataclass(frozen=True)
class KalaiSmorodinskySolution:
    """The Kalai–Smorodinsky solution of a two-party problem.

    Attributes
    ----------
    parties : tuple of str
    ideal : FrozenMap
        Party -> ideal (utopia) payoff :math:`a_i`, the most it can get when the other gets its
        disagreement payoff.
    payoffs : FrozenMap
        Party -> payoff, on the frontier and on the segment from :math:`d` to :math:`a`.
    ratio : sympy.Expr
        :math:`t` with :math:`x = d + t (a - d)`, the common fraction of each party's possible gain.
    disagreement : FrozenMap
    """

    parties: tuple
    ideal: FrozenMap
    payoffs: FrozenMap
    ratio: sympy.Expr
    disagreement: FrozenMap


def kalai_smorodinsky(frontier, disagreement, *, utility_symbols=("u_1", "u_2"), parties=None,
                      values=None) -> KalaiSmorodinskySolution:
    """The Kalai–Smorodinsky solution [KS1975]_ for two parties.

    The feasible utility set is :math:`\\{u : F(u_1, u_2) \\le 0\\}` with :math:`F` increasing in
    both utilities (the frontier is :math:`F = 0`). The ideal point has :math:`F(a_1, d_2) = 0`
    and :math:`F(d_1, a_2) = 0`; the solution is the frontier point on the segment from the
    disagreement point to the ideal point, :math:`F(d + t(a - d)) = 0`. Each party gets the same
    fraction :math:`t` of its largest possible gain.

    Parameters
    ----------
    frontier : expression or str
        :math:`F(u_1, u_2)`, e.g. ``"u_1 + u_2 - S"`` (transferable utility) or
        ``"u_1 + u_2**2 - 10"``.
    disagreement : mapping or sequence of two values
    utility_symbols : pair of str
        The names of :math:`u_1, u_2` in ``frontier``.
    parties : pair of str, optional
    values : mapping, optional
        Values of other parameters in ``frontier`` or ``disagreement``.

    Notes
    -----
    Roots are exact where possible: a numeric frontier that is a polynomial with rational
    coefficients gives exact algebraic numbers (radicals or ``CRootOf``), otherwise
    ``sympy.solve`` is used; when neither singles out the root of a numeric frontier (a
    transcendental one, or one whose coefficients are already ``CRootOf``), a bracketed numerical
    root (a 30-digit sympy ``Float``, not exact) is returned. With symbolic parameters, a
    frontier whose roots sympy cannot single out raises :class:`SolverError` (give values).

    Examples
    --------
    With transferable utility it is the equal split of the net surplus:

    >>> kalai_smorodinsky("u_1 + u_2 - 100", [20, 10]).payoffs
    {'party_1': 55, 'party_2': 45}

    On the frontier :math:`u_1 + u_2^2 = 10` from (0, 0): ideal (10, sqrt(10)) and
    :math:`10 t + 10 t^2 = 10`, so :math:`t = (\\sqrt{5} - 1)/2`:

    >>> ks = kalai_smorodinsky("u_1 + u_2**2 - 10", [0, 0])
    >>> ks.ideal
    {'party_1': 10, 'party_2': sqrt(10)}
    >>> ks.ratio
    -1/2 + sqrt(5)/2
    """
    symbols: dict = {}
    parties = check_parties(parties)
    if parties is not None and len(parties) != 2:
        raise ParameterError(f"kalai_smorodinsky is for two parties; got {len(parties)}")
    if len(utility_symbols) != 2:
        raise ParameterError("utility_symbols must name two utilities")
    u1, u2 = (sympy.Symbol(str(s), real=True) for s in utility_symbols)
    symbols[u1.name], symbols[u2.name] = u1, u2
    F = as_expr(frontier, "frontier", symbols)
    parties, d = party_values(disagreement, parties, "disagreement payoff", symbols)
    if len(parties) != 2:
        raise ParameterError(f"kalai_smorodinsky is for two parties; got {len(parties)}")
    for name in value_map(values):
        if name in (u1.name, u2.name):
            raise ParameterError(f"{name!r} is a utility variable of the frontier, not a parameter")
    vmap = value_map(values, free_names(F, d) - {u1.name, u2.name}, "this bargaining problem")
    F = substitute(F, vmap)
    d = tuple(substitute(x, vmap) for x in d)
    if not F.has(u1) or not F.has(u2):
        raise ParameterError(f"frontier {F} must depend on both {u1} and {u2}")
    t = sympy.Symbol("t", positive=True)
    a1 = frontier_root(F.xreplace({u2: d[1]}), u1, d[0], "ideal payoff of " + repr(parties[0]))
    a2 = frontier_root(F.xreplace({u1: d[0]}), u2, d[1], "ideal payoff of " + repr(parties[1]))
    line = F.xreplace({u1: d[0] + t * (a1 - d[0]), u2: d[1] + t * (a2 - d[1])})
    ratio = frontier_root(line, t, 0, "Kalai-Smorodinsky ratio", upper=1)
    x1 = simplified(d[0] + ratio * (a1 - d[0]))
    x2 = simplified(d[1] + ratio * (a2 - d[1]))
    return KalaiSmorodinskySolution(parties, FrozenMap(zip(parties, (a1, a2))), FrozenMap(zip(parties, (x1, x2))),
                                    ratio, FrozenMap(zip(parties, d)))
