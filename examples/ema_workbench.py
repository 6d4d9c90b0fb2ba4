"""brink as a model of the EMA Workbench: 16 scenarios of two uncertain
assumptions under two US sanction policies, with common random numbers.

    pip install ".[ema]"
    python examples/ema_workbench.py

The uncertainties and levers are brink parameter paths (`brink params
scenarios/muscat-2026.toml` lists them); the outcomes are the share of trials
ending in each outcome, `war`, `agreement` and `escalation_mean`.
"""

from pathlib import Path

from ema_workbench import Policy, RealParameter, perform_experiments

from brink.ema import BrinkModel

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "muscat-2026.toml"


def main(scenarios: int = 16, trials: int = 400):
    model = BrinkModel("muscat", str(SCENARIO), trials=trials, seed=20260207,
                       outcomes=["deal", "war", "limited_strikes", "escalation_mean"])
    model.uncertainties = [
        RealParameter("initial.trust", 0.05, 0.4),
        RealParameter("war.collapse", 0.0, 0.2),
    ]
    model.levers = [RealParameter("actors.us.bias.sanction", -1.0, 1.0)]
    policies = [
        Policy("sanctions_pause", **{"actors.us.bias.sanction": -1.0}),
        Policy("maximum_pressure", **{"actors.us.bias.sanction": 1.0}),
    ]
    experiments, outcomes = perform_experiments(model, scenarios=scenarios, policies=policies)
    experiments = experiments.assign(**outcomes)
    table = experiments.groupby("policy")[["deal", "war", "limited_strikes"]].mean()
    print(table.round(3).to_string())
    return experiments


if __name__ == "__main__":
    main()
