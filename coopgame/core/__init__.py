"""The ground floor: the vocabulary every other part of coopgame is written in.

==========================  ==============================================================
:mod:`.errors`              the exceptions and warnings (all subclasses of ``CoopgameError``)
:mod:`.expressions`         the safe parser: user text to sympy, whitelisted names only
:mod:`.parameters`          :class:`Parameter`, :class:`Domain`, exact conversion of numbers
:mod:`.game`                :class:`Game`, the symbolic N-player normal-form game
:mod:`.exact`               relations and conditions, value maps and substitution,
                            ``FrozenMap``, one exact rational linear solver
:mod:`.formatting`          Markdown and LaTeX cells and tables (results render through it)
:mod:`.numeric`             expressions compiled to numpy functions (``numpy_function``)
:mod:`.serialize`           JSON data of results (``to_jsonable``, ``dumps``)
:mod:`.io`                  atomic writing of files and folders
:mod:`.frames`              pandas DataFrames from result rows, CSV and Excel export
:mod:`.progress`            progress bars (tqdm) for long runs
:mod:`.notebook`            rich display in Jupyter (HTML tables)
==========================  ==============================================================

Nothing here imports an algorithm, an analysis or the report package, except that the
:class:`Game` facade methods (``game.replicator()``, ``game.pure_equilibria()``) import the
algorithm they delegate to lazily, inside the method.
"""
