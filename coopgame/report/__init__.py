"""Reports: tables (Markdown, LaTeX, JSON) and, with the ``plot`` extra, figures.

Model and analysis code never plots; it returns result objects, and this package renders them.
"""
