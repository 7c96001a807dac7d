"""Write one scenario file per catalogue model into this folder.

Run ``python examples/regenerate.py`` after changing a model; ``tests/test_scenario.py`` checks
that the files here are what this script writes.
"""

from __future__ import annotations

from pathlib import Path

from coopgame import models
from coopgame.scenario import Analyses, Scenario, SimulateSpec, dumps

HERE = Path(__file__).resolve().parent


def expected_files() -> dict[str, str]:
    """File name -> text of every example: each catalogue model with its default analyses."""
    out = {}
    for name in models.names():
        model = models.get(name)
        scenario = Scenario.from_model(model, analyses=Analyses(simulate=SimulateSpec()))
        out[f"{name}.toml"] = dumps(scenario)
    return out


def main() -> None:
    for name, text in expected_files().items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote examples/{name}")


if __name__ == "__main__":
    main()
