"""Reliability: bounded work on hostile input, no silent renaming, nothing lost on a full disk.

Each test pins one finding of the reliability audit (issue 16) with its error message: the input
must fail fast with a ``coopgame.errors`` exception (CLI: exit 2 and one line naming the item) or
work. Fault tests kill a real ``coopgame sweep`` process and make its saves fail.
"""

from __future__ import annotations

import errno
import importlib
import itertools
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopgame import Game
from coopgame.analysis import SweepResult, sweep
from coopgame.cli import main
from coopgame.errors import ExpressionError, OutputError, ResourceLimitError, ScenarioError
from coopgame.expressions import MAX_DEGREE, MAX_MINMAX_ARGS, MAX_TERMS, check_size, expanded_size, parse
from coopgame.scenario import loads

ROOT = Path(__file__).resolve().parents[1]
sweep_module = importlib.import_module("coopgame.analysis.sweep")  # the module, not the function

STAG = """
format = 1
name = "stag"
players = ["school", "enterprise"]

[strategies]
school = ["deep", "shallow"]
enterprise = ["participate", "nominal"]

[parameters.R]
meaning = "gain"
domain = "positive"
default = 10

[parameters.C]
meaning = "cost"
domain = "DOMAIN"
default = "1/2"

[[payoffs]]
profile = ["deep", "participate"]
values = ["PAYOFF", "R - C"]

[[payoffs]]
profile = ["deep", "nominal"]
values = ["-C", 0]

[[payoffs]]
profile = ["shallow", "participate"]
values = [0, "-C"]

[[payoffs]]
profile = ["shallow", "nominal"]
values = [0, 0]
"""


def scenario_text(payoff="R - C", domain="positive"):
    return STAG.replace("PAYOFF", payoff).replace("DOMAIN", domain)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err):
    return err.count("\n") == 1 and err.startswith("coopgame: error: ") and "Traceback" not in err


# ------------------------------------------------------------------------------------ parser
SLOW_BEFORE = {
    # input: the message fragment that names the limit
    "Min(" + ",".join(f"a{i}" for i in range(60)) + ")":
        f"Min and Max take at most {MAX_MINMAX_ARGS} arguments in one expression together (MAX_MINMAX_ARGS), got 60",
    "Max(" + ",".join(f"a{i}*b{i}" for i in range(900)) + ")": "(MAX_MINMAX_ARGS), got 900",
    "Max(Min(a, b, c, d), Min(e, f, g, h))": "(MAX_MINMAX_ARGS), got 10",
    "*".join(["9**999"] * 1400): "the product could hold a number of more than 4096 bits (MAX_NUMBER_BITS)",
    "10**999*10**999*10**999*10**999*10**999": "the product could hold a number of more than 4096 bits",
    "+".join(f"1/{p}**400" for p in (3, 5, 7, 11, 13)): "the sum could hold a number of more than 4096 bits",
    "(9**999*a)**999": "the power would have a coefficient of more than 4096 bits",
    "sqrt(9**999*a)": "a number under a root has more than 1024 bits",
    "exp(exp(exp(exp(10))))": "exp() of a number above 2839 would exceed 2**4096 (MAX_NUMBER_BITS)",
    "(a+1)**1000": "expanded, the expression would have degree 1000, more than MAX_DEGREE = 100 "
                   "(raise coopgame.expressions.MAX_DEGREE to accept it)",
    "(a+b+c+d+e)**60*(a-b)**60": "degree 120, more than MAX_DEGREE",
    "(a+b+c+d+e+f+g+h)**12": "up to 50388 terms, more than MAX_TERMS = 5000",
}


@pytest.mark.parametrize("text", sorted(SLOW_BEFORE), ids=lambda t: t[:30])
def test_runaway_input_fails_fast_naming_the_limit(text):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert SLOW_BEFORE[text] in str(info.value)


LOOK_ALIKES = {
    # text: (character, code point and name, position); Python would fold each to an ASCII name
    "ｘ + x": "character 'ｘ' (U+FF58 FULLWIDTH LATIN SMALL LETTER X) at position 0 is not ASCII",
    "ｅｘｐ(1)": "character 'ｅ' (U+FF45 FULLWIDTH LATIN SMALL LETTER E) at position 0 is not ASCII",
    "x + 𝐱": "character '𝐱' (U+1D431 MATHEMATICAL BOLD SMALL X) at position 4 is not ASCII",
    "2*ⅈ": "character 'ⅈ' (U+2148 DOUBLE-STRUCK ITALIC SMALL I) at position 2 is not ASCII",
    "x\u00a0+ 1": "character '\\xa0' (U+00A0 NO-BREAK SPACE) at position 1 is not ASCII",
}


@pytest.mark.parametrize("text", sorted(LOOK_ALIKES))
def test_unicode_look_alikes_are_rejected_on_the_raw_text(text):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert LOOK_ALIKES[text] in str(info.value)


@pytest.mark.parametrize("name", ["oo", "nan", "inf", "zoo", "Infinity", "NaN"])
def test_infinity_and_nan_are_not_parameter_names(name):
    with pytest.raises(ExpressionError, match=f"'{name}' is not accepted as a name: it reads as a number or constant"):
        parse(f"R - {name}")


def test_pi_and_e_are_names_and_exp_1_is_the_number_e():
    # documented decision: payoff text names parameters; e is exp(1); there is no constant pi
    value = parse("pi + E")
    assert {s.name for s in value.free_symbols} == {"pi", "E"}
    assert parse("exp(1)") == sympy.E


def test_expanded_size_bounds_the_true_expansion():
    # the bounds are upper bounds: compare with sympy's expansion of small cases
    a, b, c = sympy.symbols("a b c")
    for expr in [(a + 1) ** 3, (a + b) ** 2 * (a - b), (a + 2 * b - 3 * c) ** 4 * (b - 1), (a / 3 + 1) ** 5]:
        degree, terms, bits = expanded_size(expr)
        expanded = sympy.expand(expr)
        assert sympy.Poly(expanded, a, b, c).total_degree() <= degree
        assert len(sympy.Add.make_args(expanded)) <= terms
        assert max(max(abs(r.p), r.q).bit_length() for r in expanded.atoms(sympy.Rational)) <= bits
    check_size((a + b) ** 20)  # within the limits: no error


# Random expression trees within the documented limits: parse in bounded work or raise
# ExpressionError. The per-case deadline is generous for a loaded two-core machine; the limits,
# not the deadline, are what bounds the work.
_leaf = st.one_of(st.sampled_from(["a", "b", "c", "x1", "R_e"]), st.integers(-10**6, 10**6).map(str),
                  st.sampled_from(["0.5", "1e-3", "9**999", "1/3"]))


def _tree(children):
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**"]), children).map(
        lambda t: f"({t[0]}{t[1]}{t[2]})")
    call = st.tuples(st.sampled_from(["exp", "log", "sqrt", "Abs"]), children).map(lambda t: f"{t[0]}({t[1]})")
    minmax = st.tuples(st.sampled_from(["Min", "Max"]), st.lists(children, min_size=1, max_size=4)).map(
        lambda t: f"{t[0]}({', '.join(t[1])})")
    power = st.tuples(children, st.integers(-40, 40)).map(lambda t: f"({t[0]})**{t[1]}")
    return st.one_of(binary, call, minmax, power)


EXPRESSIONS = st.recursive(_leaf, _tree, max_leaves=24)


@settings(max_examples=60, deadline=20_000, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS)
def test_random_expression_trees_parse_or_raise_expression_error(text):
    try:
        value = parse(text)
    except ExpressionError:
        return
    degree, terms, _ = expanded_size(value)
    assert degree <= MAX_DEGREE and terms <= MAX_TERMS
    assert {s.name for s in value.free_symbols} <= {"a", "b", "c", "x1", "R_e"}


@settings(max_examples=200, deadline=5_000)
@given(st.text(min_size=1, max_size=20))
def test_random_unicode_text_never_yields_a_renamed_symbol(text):
    try:
        value = parse(text)
    except ExpressionError:
        return
    for symbol in value.free_symbols:
        assert symbol.name.isascii() and symbol.name in text


# ------------------------------------------------------------------- big numbers, analyses
def test_show_and_analyze_print_the_largest_accepted_numbers(capsys, tmp_path):
    path = tmp_path / "big.toml"
    path.write_text(scenario_text("10**999*R - C"))
    code, out, err = run(capsys, "show", path, "--format", "json")
    assert code == 0 and "1" + "0" * 999 in out
    code, out, err = run(capsys, "analyze", path, "--no-symbolic")
    assert code == 0, err


@pytest.mark.parametrize(("payoff", "expected"), [
    ("10**999*10**999*10**999*10**999*10**999*R", "the product could hold a number of more than 4096 bits"),
    ("exp(exp(exp(exp(10))))*R", "exp() of a number above 2839"),
    ("(R+1)**1000", "degree 1000, more than MAX_DEGREE = 100"),
    ("(R+C+R*C+2*R+3)**60*(R-C)**60", "degree 180, more than MAX_DEGREE = 100"),
])
def test_cli_reports_runaway_payoffs_in_one_line(capsys, tmp_path, payoff, expected):
    path = tmp_path / "s.toml"
    path.write_text(scenario_text(payoff))
    code, out, err = run(capsys, "analyze", path)
    assert code == 2 and one_error_line(err) and "key 'payoffs[0].values[0]'" in err and expected in err, err


def test_report_rejects_a_huge_number_given_with_set(capsys, tmp_path):
    code, _, err = run(capsys, "report", "school_enterprise", "--out", tmp_path / "r", "--no-figures",
                       "--set", "K=10**999*10**999", "--quiet")  # --quiet: no progress bar beside the error
    assert code == 2 and one_error_line(err) and "parameter 'K'" in err and "4096 bits" in err


@pytest.mark.parametrize("n", [30, 150])
def test_large_games_point_to_the_numeric_path(n):
    names = [f"s{i}" for i in range(n)]
    game = Game(["A", "B"], [names, names], {p: [0, 0] for p in itertools.product(names, names)})
    from coopgame.report.document import analyze

    with pytest.raises(ResourceLimitError) as info:
        analyze(game)
    assert (f"the {n}x{n} game has {n * n} pure profiles, more than max_profiles = 100 for the exact analysis; "
            "use the numeric path") in str(info.value)


def test_simulate_bounds_t_max_and_steps(capsys):
    code, _, err = run(capsys, "simulate", "school_enterprise", "--t-max", "1e300")
    assert code == 2 and one_error_line(err) and "--t-max 1e+300: at most 1e+06 (MAX_T_MAX" in err
    code, _, err = run(capsys, "simulate", "school_enterprise", "--t-max", "1e5", "--no-settle", "--starts", "2",
                       "--max-steps", "200", "--quiet")  # --quiet: no progress bar beside the error
    assert code == 2 and one_error_line(err) and "more than 200 steps" in err and "raise max_steps" in err
    from coopgame import models

    with pytest.raises(ResourceLimitError, match="t_max = 1e\\+300 is more than MAX_T_MAX"):
        models.get("school_enterprise").game.replicator().simulate(None, [[0.5, 0.5]], 1e300)


# ------------------------------------------------------------------------------- crashes
def test_a_target_name_too_long_for_the_file_system_is_echoed_as_a_prefix(capsys):
    name = "a" * 300
    code, _, err = run(capsys, "show", name)
    assert code == 2 and one_error_line(err) and "(300 characters)" in err and name not in err
    code, _, err = run(capsys, "show", "x/" + name + ".toml")
    assert code == 2 and one_error_line(err) and "(307 characters): cannot read the file" in err


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "is not a coopgame sweep file (it is empty); remove it or choose another file"),
    (bytes(np.random.default_rng(16).integers(0, 256, 500, dtype=np.uint8)),
     "is not a coopgame sweep file (it is not an .npz archive)"),
    (b"PK\x03\x04 not really a zip", "damaged or not written by coopgame (BadZipFile)"),
    (b"\x80\x04\x95 a pickle", "it is not an .npz archive"),
])
def test_a_damaged_out_file_is_named_and_never_unpickled(capsys, tmp_path, content, expected):
    out = tmp_path / "map.npz"
    out.write_bytes(content)
    code, _, err = run(capsys, "sweep", "school_enterprise", "--grid", "K=0:3:4", "--out", out, "--no-progress")
    assert code == 2 and one_error_line(err) and expected in err, err
    assert "allow_pickle" not in err and "pickle" not in err
    assert out.read_bytes() == content  # nothing overwritten


def test_an_npz_holding_objects_does_not_suggest_allow_pickle(tmp_path):
    out = tmp_path / "map.npz"
    np.savez(out, meta=np.array([{"a": 1}], dtype=object))
    with pytest.raises(Exception) as info:
        SweepResult.load(out)
    assert "allow_pickle" not in str(info.value) and "damaged or not written by coopgame" in str(info.value)


def test_a_complex_interval_bound_is_a_scenario_error():
    with pytest.raises(ScenarioError, match="key 'parameters.C.domain': expected a real number, got 'sqrt\\(-2\\)'"):
        loads(scenario_text(domain="(sqrt(-2), 1)"))


# ------------------------------------------------------------------------ interruption
def test_stale_temporaries_of_the_same_output_are_removed(capsys, tmp_path):
    out = tmp_path / "map.npz"
    stale = tmp_path / ".map.npz.a1b2c3d4.tmp"
    other = tmp_path / ".other.npz.a1b2c3d4.tmp"
    stale.write_bytes(b"x" * 1000)
    other.write_bytes(b"y")
    code, _, err = run(capsys, "sweep", "school_enterprise", "--grid", "K=0:3:4", "--out", out, "--no-progress")
    assert code == 0, err
    assert not stale.exists() and other.exists() and out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == [other.name]


def test_the_first_finished_chunk_is_saved_at_once(tmp_path, monkeypatch):
    s, t = sympy.symbols("s t", positive=True)
    out = tmp_path / "map.npz"
    calls = []
    evaluate = sweep_module._evaluate_block

    def spy(*args):
        calls.append(1)
        if len(calls) == 2:  # the file written after chunk 1 holds it, though no time has passed
            saved = SweepResult.load(out)
            assert saved.done.tolist().count(True) == 1
            raise KeyboardInterrupt
        return evaluate(*args)

    monkeypatch.setattr(sweep_module, "_evaluate_block", spy)
    with pytest.raises(KeyboardInterrupt):
        sweep(s - t > 0, {"s": [1, 2, 3, 4], "t": [1, 2]}, chunk_size=2, progress=False, out=out,
              checkpoint_seconds=1e9)
    monkeypatch.setattr(sweep_module, "_evaluate_block", evaluate)
    resumed = sweep(s - t > 0, {"s": [1, 2, 3, 4], "t": [1, 2]}, chunk_size=2, progress=False, out=out)
    whole = sweep(s - t > 0, {"s": [1, 2, 3, 4], "t": [1, 2]}, chunk_size=2, progress=False)
    assert np.array_equal(resumed.data, whole.data) and resumed.complete


def test_a_failing_save_keeps_the_result_and_the_cli_prints_it(capsys, tmp_path, monkeypatch):
    def full(path, arrays):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sweep_module, "_atomic_savez", full)
    out = tmp_path / "map.npz"
    code, text, err = run(capsys, "sweep", "school_enterprise", "--grid", "K=0:3:4", "--out", out, "--no-progress")
    assert code == 2 and one_error_line(err)
    assert "No space left on device (the result was computed, not saved)" in err and str(out) in err
    assert "regime map of school_enterprise" in text and "result written" not in text
    s = sympy.Symbol("s", positive=True)
    with pytest.raises(OutputError) as info:
        sweep(s > 1, {"s": [1, 2, 3]}, progress=False, out=out)
    assert info.value.result.data.tolist() == [False, True, True]


def _cli(*argv):
    return [sys.executable, "-m", "coopgame", *map(str, argv)]


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


SWEEP_ARGS = ("sweep", "school_enterprise", "--grid", "K=0:6:120", "--grid", "C_e=1:3:100", "--chunk-size", "400",
              "--no-progress")


# Runs ``coopgame`` with a checkpoint after every chunk and SIGKILLs itself at the k-th save:
# before it writes ("between" two saves) or with half a temporary file written ("mid-write").
# The moment of the kill is counted in saves, not seconds, so the test kills on any machine.
_KILLING_DRIVER = r"""
import importlib, os, signal, sys
from coopgame.cli import main

sw = importlib.import_module("coopgame.analysis.sweep")  # the module (the package exports a function of that name)

k, mode = int(sys.argv[1]), sys.argv[2]
run_blocks, savez, calls = sw._run_blocks, sw._atomic_savez, [0]


def every_chunk(*args):
    args = list(args)
    args[-2] = 0.0  # checkpoint_seconds: save after every chunk
    return run_blocks(*args)


def killing_savez(path, arrays):
    calls[0] += 1
    if calls[0] == k:
        if mode == "mid-write":
            with sw.open_atomically(path, fsync=False) as fh:
                fh.write(b"PK\x03\x04 half an archive")
                fh.flush()
                os.kill(os.getpid(), signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)
    savez(path, arrays)


sw._run_blocks, sw._atomic_savez = every_chunk, killing_savez
sys.exit(main(sys.argv[3:]))
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sweep_killed_at_random_moments_resumes_to_the_uninterrupted_result(tmp_path):
    reference = tmp_path / "whole.npz"
    subprocess.run(_cli(*SWEEP_ARGS, "--out", reference), check=True, env=_env(), cwd=tmp_path,
                   capture_output=True, timeout=600)
    out = tmp_path / "killed.npz"
    driver = tmp_path / "killing_driver.py"
    driver.write_text(_KILLING_DRIVER)
    rng = np.random.default_rng(20261201)
    # 120 x 100 points in chunks of 400 make 30 saves; six runs killed at save k <= 5 finish at
    # most 24 chunks, so every run is killed before the sweep completes.
    for run in range(6):
        k, mode = int(rng.integers(1, 6)), ("between", "mid-write")[run % 2]
        proc = subprocess.run([sys.executable, str(driver), str(k), mode, *map(str, SWEEP_ARGS), "--out", str(out)],
                              env=_env(), cwd=tmp_path, capture_output=True, timeout=600)
        assert proc.returncode == -signal.SIGKILL, (k, mode, proc.stderr)
        if out.exists():
            partial = SweepResult.load(out)  # every state left by a kill is a readable sweep file
            assert not partial.complete
    subprocess.run(_cli(*SWEEP_ARGS, "--out", out), check=True, env=_env(), cwd=tmp_path,
                   capture_output=True, timeout=600)
    whole, resumed = SweepResult.load(reference), SweepResult.load(out)
    assert resumed.complete and np.array_equal(resumed.data, whole.data)
    assert np.array_equal(resumed.boundary, whole.boundary)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file size limits")
def test_a_full_disk_prints_the_results_and_exits_2(tmp_path):
    # A real write failure: the process may not write files larger than 2 KB (as on a full
    # small file system; unlike a read-only folder this also stops root).
    import resource

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    out = tmp_path / "map.npz"
    proc = subprocess.run(_cli(*SWEEP_ARGS, "--out", out), env=_env(), cwd=tmp_path, capture_output=True, text=True,
                          preexec_fn=small_disk, timeout=600)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "File too large (the result was computed, not saved)" in proc.stderr
    assert "regime map of school_enterprise" in proc.stdout and "| {(deep, nominal)} |" in proc.stdout
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_read_only_folder_fails_before_any_work(capsys, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who may write anywhere")
        code, text, err = run(capsys, "sweep", "school_enterprise", "--grid", "K=0:3:4", "--out", folder / "m.npz")
        assert code == 2 and one_error_line(err) and "is not writable" in err
    finally:
        folder.chmod(0o700)


def test_games_built_in_python_are_held_to_the_parser_limits():
    from coopgame.analysis.pipeline import analyze

    a = sympy.Symbol("a", real=True)
    game = Game(["A", "B"], [["x", "y"], ["x", "y"]],
                {("x", "x"): [(a + 1) ** 1000, 0], ("x", "y"): [0, 0], ("y", "x"): [0, 0], ("y", "y"): [1, 1]})
    with pytest.raises(ExpressionError, match=r"payoff of A at \(x, x\): expanded, the expression would have "
                                              "degree 1000, more than MAX_DEGREE = 100"):
        analyze(game, {"a": 1})


def test_a_long_sum_of_decimals_parses_exactly():
    # each decimal is read from its own text; this was quadratic in the text's length (38 s)
    xs = sympy.symbols("x0:800", real=True)
    value = parse(" + ".join(f"0.35*x{i}" for i in range(800)))
    assert value == sympy.Rational(35, 100) * sum(xs)
    assert parse("(0.1 +\n 2.5e-3*a\r\n + 1e-400)") == (sympy.Rational(1, 10) + sympy.Rational(1, 400) * sympy.Symbol("a", real=True)
                                                        + sympy.Rational(1, 10**400))
