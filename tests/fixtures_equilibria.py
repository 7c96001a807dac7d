"""Games and hypothesis strategies for the equilibrium tests.

The 4x4 games below were found by a seeded search (``numpy.random.default_rng(2024)``, payoffs
uniform integers in [-1000, 1000)): on each, nashpy 0.0.43's ``support_enumeration`` returns
fewer equilibria than exist, because its best-response test compares floats with ``==``. The
equilibria listed were computed by exact vertex enumeration and each is checked in the tests.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

#: (A, B, number of equilibria, nashpy support enumeration's count at discovery)
SUPPORT_ENUMERATION_MISSES = [
    (
        [[-868, 951, 283, 598], [31, 193, -310, -350], [-741, -588, 533, -115], [652, -444, 441, 749]],
        [[659, -574, -265, -452], [599, 614, -115, -464], [-871, -464, -699, -859], [565, -66, 939, -472]],
        3,
        1,
    ),
    (
        [[-231, 777, 232, -428], [-258, 547, -273, -26], [-22, -64, -26, 929], [-518, 796, -609, -842]],
        [[-367, -510, 279, -631], [-591, 810, 625, 107], [829, -257, -858, 667], [-824, -303, -83, 363]],
        5,
        4,
    ),
    (
        [[-753, -544, -829, -953], [-637, 392, 83, -327], [373, -317, 981, -449], [358, -498, 142, 140]],
        [[834, -333, -785, -149], [214, -597, 992, 10], [-11, 170, 119, -160], [104, -194, 987, 887]],
        1,
        0,
    ),
]

#: The totally mixed equilibrium of the third game above, from exact vertex enumeration; the
#: test re-derives that it is an equilibrium by its indifference conditions.
THIRD_GAME_EQUILIBRIUM = (
    (Fraction(0), Fraction(51, 1640), Fraction(1589, 1640), Fraction(0)),
    (Fraction(0), Fraction(898, 1607), Fraction(709, 1607), Fraction(0)),
)


SMALL_INTEGERS = st.integers(-20, 20)
TINY_INTEGERS = st.integers(-9, 9)


@st.composite
def bimatrix(draw, min_size=2, max_size=5, values=SMALL_INTEGERS):
    """Two payoff matrices of a random shape m x n, 2 <= m, n <= 5, entries from ``values``."""
    m = draw(st.integers(min_size, max_size))
    n = draw(st.integers(min_size, max_size))
    A = draw(st.lists(st.lists(values, min_size=n, max_size=n), min_size=m, max_size=m))
    B = draw(st.lists(st.lists(values, min_size=n, max_size=n), min_size=m, max_size=m))
    return A, B


@st.composite
def generic_bimatrix(draw, min_size=2, max_size=5):
    """Payoff matrices whose entries are pairwise distinct integers from a wide range.

    Distinct payoffs rule out ties between pure strategies; the tests also check the remaining
    condition of non-degeneracy (equal support sizes at every equilibrium) before relying on it.
    """
    m = draw(st.integers(min_size, max_size))
    n = draw(st.integers(min_size, max_size))
    entries = draw(st.lists(st.integers(-1000, 1000), min_size=2 * m * n, max_size=2 * m * n, unique=True))
    A = [entries[i * n:(i + 1) * n] for i in range(m)]
    B = [entries[m * n + i * n:m * n + (i + 1) * n] for i in range(m)]
    return A, B


rationals = st.fractions(min_value=-10, max_value=10, max_denominator=12)


@st.composite
def three_player_binary(draw, values=TINY_INTEGERS):
    """Payoff arrays of a 2x2x2 game: three arrays of shape (2, 2, 2)."""
    return [[[[draw(values) for _ in range(2)] for _ in range(2)] for _ in range(2)] for _ in range(3)]


@st.composite
def degenerate_bimatrix(draw, min_size=2, max_size=5):
    """Payoff matrices built to be degenerate: few distinct values (ties in best responses), and
    optionally a repeated row, a repeated column, a zero column or a constant row."""
    A, B = draw(bimatrix(min_size, max_size, values=st.integers(-2, 2)))
    m, n = len(A), len(A[0])
    kind = draw(st.sampled_from(["ties", "repeated row", "repeated column", "zero column", "constant row"]))
    if kind == "repeated row":
        i, k = draw(st.integers(0, m - 1)), draw(st.integers(0, m - 1))
        A[k], B[k] = list(A[i]), list(B[i])
    elif kind == "repeated column":
        j, k = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        for row_a, row_b in zip(A, B):
            row_a[k], row_b[k] = row_a[j], row_b[j]
    elif kind == "zero column":
        j = draw(st.integers(0, n - 1))
        for row_a, row_b in zip(A, B):
            row_a[j] = row_b[j] = 0
    elif kind == "constant row":
        i, c = draw(st.integers(0, m - 1)), draw(st.integers(-2, 2))
        A[i] = [c] * n
    return A, B
