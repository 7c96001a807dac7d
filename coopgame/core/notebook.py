"""Rich display in Jupyter: HTML tables beside the Markdown and LaTeX ones.

Results define ``_repr_markdown_`` and ``_repr_latex_`` through :mod:`coopgame.core.formatting`,
and ``_repr_html_`` through :func:`html_table`, so a notebook shows every result as a table
without any report code. Cells are escaped text (sympy objects by ``str``), so an HTML table
never carries markup from a name or a scenario file.

Examples
--------
>>> print(html_table(["a", "b"], [[1, "x < y"]]))
<table class="coopgame">
<thead><tr><th>a</th><th>b</th></tr></thead>
<tbody>
<tr><td>1</td><td>x &lt; y</td></tr>
</tbody>
</table>
"""

from __future__ import annotations

import html
from collections.abc import Sequence

__all__ = ["html_table"]


def _cell(value) -> str:
    return html.escape(" ".join(str(value).splitlines()))


def html_table(header: Sequence, rows: Sequence[Sequence], *, caption: str | None = None) -> str:
    """An HTML ``<table>`` with escaped cells and an optional caption."""
    lines = ['<table class="coopgame">']
    if caption:
        lines.append(f"<caption>{_cell(caption)}</caption>")
    lines.append("<thead><tr>" + "".join(f"<th>{_cell(h)}</th>" for h in header) + "</tr></thead>")
    lines.append("<tbody>")
    lines += ["<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in rows]
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)
