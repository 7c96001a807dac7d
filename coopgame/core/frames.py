"""Tables as pandas DataFrames, sweeps as xarray objects, and CSV / Excel export.

Every table-like result has ``to_dataframe(numeric=False)``; they all go through :func:`frame`,
which builds a DataFrame from rows given as dicts (column name -> cell), the form of any
result's ``to_dicts()``. Exact cells stay exact: sympy numbers, expressions and conditions are
kept as sympy objects in ``object`` columns, so nothing is rounded until asked. With
``numeric=True`` :func:`numeric_cell` converts every cell that has a numeric value (sympy
numbers to ``float`` or ``complex``, sympy ``true``/``false`` to ``bool``, tuples elementwise);
symbolic cells, which have no number, stay as they are.

pandas and xarray are optional extras (``pip install 'coopgame-vet[pandas]'``,
``'coopgame-vet[xarray]'``; ``.xlsx`` files need ``'coopgame-vet[excel]'``), imported only when a
frame is made; without them the call fails with one line naming the install command.

Examples
--------
>>> import sympy
>>> rows = [{"parameter": "s", "smallest level": sympy.Rational(1, 3), "attained": sympy.false}]
>>> df = frame(rows)
>>> df.loc[0, "smallest level"]
1/3
>>> float(frame(rows, numeric=True).loc[0, "smallest level"])
0.3333333333333333
>>> bool(frame(rows, numeric=True).loc[0, "attained"])
False
"""

from __future__ import annotations

import enum
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import sympy

__all__ = ["frame", "numeric_cell", "exact_cell", "require_pandas", "require_xarray", "write_table",
           "TABLE_FORMATS"]

#: File suffixes a table can be exported as.
TABLE_FORMATS = (".csv", ".xlsx")


def require_pandas():
    """The pandas module, or an ImportError in one line naming the install command."""
    try:
        import pandas
    except ImportError:
        raise ImportError("DataFrames need pandas, which is not installed: pip install 'coopgame-vet[pandas]'") from None
    return pandas


def require_xarray():
    """The xarray module, or an ImportError in one line naming the install command."""
    try:
        import xarray
    except ImportError:
        raise ImportError("labelled arrays need xarray, which is not installed: "
                          "pip install 'coopgame-vet[xarray]'") from None
    return xarray


def exact_cell(value):
    """A cell as kept in an exact frame: enums by their value, everything else unchanged."""
    if isinstance(value, enum.Enum):
        return value.value
    return value


def numeric_cell(value):
    """A cell converted to a number where it has one (see the module docstring).

    Examples
    --------
    >>> numeric_cell(sympy.sqrt(2)), numeric_cell(sympy.true), numeric_cell(sympy.Symbol("x"))
    (1.4142135623730951, True, x)
    >>> numeric_cell(sympy.Tuple(sympy.Rational(1, 2), 1))
    (0.5, 1.0)
    """
    value = exact_cell(value)
    if value is sympy.true or value is sympy.false:
        return bool(value)
    if isinstance(value, (sympy.Tuple, tuple)) and not isinstance(value, str):
        return tuple(numeric_cell(v) for v in value)
    if isinstance(value, sympy.Basic) and getattr(value, "is_number", False):
        if value.is_real:
            return float(value)
        try:
            return complex(value)
        except TypeError:
            return value
    return value


def frame(rows: Sequence[Mapping], *, numeric: bool = False, columns: Sequence[str] | None = None,
          index: str | Sequence[str] | None = None):
    """A pandas DataFrame from rows given as dicts (for example a result's ``to_dicts()``).

    Parameters
    ----------
    rows : sequence of mapping
        One mapping per row, column name -> cell.
    numeric : bool
        Convert the cells that have numeric values (:func:`numeric_cell`); by default cells are
        kept exact.
    columns : sequence of str, optional
        The columns, in order (default: the keys of the rows, in order of appearance).
    index : str or list of str, optional
        Column(s) to make the index.

    Returns
    -------
    pandas.DataFrame
    """
    pd = require_pandas()
    cell = numeric_cell if numeric else exact_cell
    data = [{k: cell(v) for k, v in row.items()} for row in rows]
    if columns is None:
        columns = list(dict.fromkeys(k for row in data for k in row))
    df = pd.DataFrame(data, columns=list(columns))  # sympy cells stay objects: pandas does not cast them
    if index is not None:
        df = df.set_index(index)
    return df


def _text_cells(df):
    """A copy with sympy cells as text (CSV and Excel hold numbers and strings only)."""
    def text(v):
        if isinstance(v, sympy.Basic):
            return str(v)
        if isinstance(v, tuple):
            return "(" + ", ".join(str(x) for x in v) + ")"
        return v

    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(text)
    return out


def write_table(df, path, *, sheet: str = "table") -> Path:
    """Write a DataFrame (or several, as a mapping sheet name -> frame) to ``.csv`` or ``.xlsx``.

    Exact cells are written as their text (``1/3``, ``R_s > C_s``), so nothing is rounded. The
    file is written atomically. A mapping of frames becomes one sheet each in ``.xlsx`` and one
    block each, under a ``# name`` line, in ``.csv``.

    Raises
    ------
    OutputError
        The suffix is not a table format, or the file cannot be written.
    ImportError
        ``.xlsx`` without openpyxl (one line naming ``pip install 'coopgame-vet[excel]'``).
    """
    from .errors import OutputError
    from .io import write_bytes_atomically

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise OutputError(f"table {path}: unknown format {suffix or '(none)'!r} (use {', '.join(TABLE_FORMATS)})")
    frames = dict(df) if isinstance(df, Mapping) else {sheet: df}
    frames = {name: f if _default_index(f) else f.reset_index() for name, f in frames.items()}  # index as columns
    if suffix == ".csv":
        parts = []
        for name, f in frames.items():
            text = _text_cells(f).to_csv(index=False, lineterminator="\n")
            parts.append(text if len(frames) == 1 else f"# {name}\n{text}")
        data = "\n".join(parts).encode("utf-8")
    else:
        try:
            import openpyxl  # noqa: F401
        except ImportError:
            raise ImportError("Excel files need openpyxl, which is not installed: "
                              "pip install 'coopgame-vet[excel]'") from None
        buffer = io.BytesIO()
        pd = require_pandas()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            for name, f in frames.items():
                _text_cells(f).to_excel(writer, sheet_name=name[:31], index=False)
        data = buffer.getvalue()
    return write_bytes_atomically(path, data)


def _default_index(df) -> bool:
    pd = require_pandas()
    return isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1
