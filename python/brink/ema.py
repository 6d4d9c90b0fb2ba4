"""brink as a model of the EMA Workbench.

The Workbench's uncertainties and levers are brink parameter paths (see
``brink params SCENARIO``); each experiment runs the scenario with them set
(``brink run --set PATH=VALUE ...``) and its outcomes are brink's outputs:
the share of trials ending in each outcome (``deal``, ``war_ongoing``,
...), ``war`` (any war outcome), ``agreement`` (ends in an agreement, war or
not: ``deal`` or ``war_then_settlement``) and ``escalation_mean``.

    from ema_workbench import RealParameter, perform_experiments
    from brink.ema import BrinkModel

    model = BrinkModel("muscat", "scenarios/muscat-2026.toml", trials=500)
    model.uncertainties = [RealParameter("initial.trust", 0.05, 0.4)]
    model.levers = [RealParameter("actors.us.bias.sanction", -1.0, 1.0)]
    experiments, outcomes = perform_experiments(model, scenarios=32, policies=4)

Every experiment uses the same seed, so experiments differ by their
parameters and not by sampling noise (common random numbers).
"""

from __future__ import annotations

import functools
from typing import Dict, Optional, Sequence

from ema_workbench import Model, ScalarOutcome

import brink

OUTCOMES = (
    "deal",
    "war_then_settlement",
    "war_ended",
    "war_ongoing",
    "limited_strikes",
    "breakout",
    "standoff",
    "talks_ongoing",
)
"""The outcomes of a trial, in brink's order."""

WAR = ("war_then_settlement", "war_ended", "war_ongoing")
"""The outcomes in which a war was fought."""

AGREEMENT = ("deal", "war_then_settlement")
"""The outcomes that end in an agreement, war or not."""

OUTPUTS = OUTCOMES + ("war", "agreement", "escalation_mean")
"""Every output a :class:`BrinkModel` can report."""


def outputs(summary: dict) -> Dict[str, float]:
    """The outputs of a run's ``summary.json``, by name (:data:`OUTPUTS`)."""
    share = {o["outcome"]: o["probability"] for o in summary["outcomes"]}
    counts = {o["outcome"]: o["count"] for o in summary["outcomes"]}
    trials = summary["trials"]
    values = {name: share[name] for name in OUTCOMES}
    values["war"] = sum(counts[o] for o in WAR) / trials
    values["agreement"] = sum(counts[o] for o in AGREEMENT) / trials
    values["escalation_mean"] = summary["escalation_mean"]
    return values


def _evaluate(
    scenario: str,
    trials: Optional[int],
    seed: Optional[int],
    threads: int,
    wanted: Sequence[str],
    **parameters: float,
) -> Dict[str, float]:
    result = brink.run(
        scenario,
        trials=trials,
        seed=seed,
        threads=threads,
        set=parameters,
        trials_table=False,
        assumption_draws=0,
    )
    values = outputs(result.summary)
    return {name: values[name] for name in wanted}


class BrinkModel(Model):
    """An EMA Workbench model that runs a brink scenario.

    ``name`` must be alphanumeric (a Workbench rule). Uncertainties and
    levers are named by brink parameter paths; ``outcomes`` (default: every
    one of :data:`OUTPUTS`) become ``ScalarOutcome`` s. ``trials`` and
    ``seed`` default to the scenario's own; results do not depend on
    ``threads``.
    """

    def __init__(
        self,
        name: str,
        scenario: str,
        *,
        trials: Optional[int] = None,
        seed: Optional[int] = None,
        threads: int = 0,
        outcomes: Optional[Sequence[str]] = None,
    ):
        wanted = tuple(outcomes) if outcomes is not None else OUTPUTS
        unknown = [o for o in wanted if o not in OUTPUTS]
        if unknown:
            raise ValueError(f"unknown brink outputs {unknown}; known: {list(OUTPUTS)}")
        brink.validate(scenario)
        function = functools.partial(_evaluate, str(scenario), trials, seed, threads, wanted)
        super().__init__(name, function=function)
        self.outcomes = [ScalarOutcome(o) for o in wanted]
