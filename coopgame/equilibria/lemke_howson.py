"""Lemke-Howson pivoting with a bounded number of pivots (nashpy's tableaux).
"""

from __future__ import annotations

import itertools

_LH_MAX_PIVOTS = 10_000


def lemke_howson_capped(A, B, label, max_pivots=_LH_MAX_PIVOTS):
    """nashpy's Lemke-Howson pivoting (lexicographic), stopped after ``max_pivots`` pivots."""
    from nashpy.linalg import create_col_tableau, create_row_tableau

    col = create_col_tableau(A, True)
    row = create_row_tableau(B, True)
    order = itertools.cycle((row, col) if label in row.non_basic_variables else (col, row))
    full = col.labels
    entering = label
    for _ in range(max_pivots):
        entering = next(order).pivot_and_drop_label(entering)
        if col.non_basic_variables | row.non_basic_variables == full:
            return row.to_strategy(col.non_basic_variables), col.to_strategy(row.non_basic_variables)
    return None
