"""The buy-time game's equilibrium as a scenario result: every number derived from the model's.

:class:`EquilibriumResult` holds the model's own results (the
:class:`~simulator.model.buy_time_game.BuyTimeEquilibrium` and a forward pass of each plan,
:class:`~simulator.model.buy_time_play.BuyTimePlay`) and derives from them, once, what
``results.json``, the CSV files, the terminal and the briefing show, under the same names:
``settled``, ``broken``, ``war`` (summing to 1), ``russia_wins``, ``settlement_period``, the
three plans' values and the verdict on "does buying time pay?".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.analysis.certificate import Certificate
from simulator.analysis.records import EquilibriumRecord, dump_record
from simulator.analysis.tables import html_table, jsonable, to_frame
from simulator.model.buy_time_game import PLANS, BuyTimeEquilibrium
from simulator.model.buy_time_play import PATHS, BuyTimePlay
from simulator.model.buy_time_setup import REPLIES
from simulator.model.offer_tables import TYPES

__all__ = ["BUY_TIME_METHOD", "PLAN_LABELS", "EquilibriumResult"]

BUY_TIME_METHOD = (
    "Markov perfect equilibrium of the buy-time game by backward induction (each period's offer "
    "game solved at every state of front, regroup level and belief grid; semi-separating where "
    "no pure assignment is an equilibrium); regret = the largest one-shot deviation gain of any "
    "player at any state and period"
)
#: What each plan means, in a few words (the rows of the verdict table).
PLAN_LABELS = {
    "equilibrium": "equilibrium play",
    "compromise": "genuine compromise (keeps any deal it signs)",
    "buy_time": "buying time (may break a deal after regrouping)",
}


@dataclass(frozen=True, eq=False)
class EquilibriumResult:
    """The buy-time game solved at the scenario's values and played out.

    Attributes
    ----------
    offer : str
        The offer on the table in every period.
    result : BuyTimeEquilibrium
        The model's equilibrium (policies, values, certificate).
    plays : dict of str to BuyTimePlay
        Forward passes by plan (:data:`~simulator.model.buy_time_game.PLANS`): the equilibrium,
        and each of Russia's two plans against the others' equilibrium play.
    seed : int
        The forward passes' seed.
    """

    offer: str
    result: BuyTimeEquilibrium
    plays: dict[str, BuyTimePlay]
    seed: int

    # ---------------------------------------------------------------- derived numbers
    @property
    def periods(self) -> int:
        return self.result.setup.settings.periods

    @property
    def runs(self) -> int:
        return self.plays["equilibrium"].runs

    @property
    def certificate(self) -> Certificate:
        return Certificate(self.result.certificate, self.result.tolerance, BUY_TIME_METHOD)

    @property
    def path_certificate(self) -> Certificate:
        """The certificate restricted to the states equilibrium play passes (forward pass).

        Weaker than :attr:`certificate` (a Markov perfect equilibrium must hold at every
        state); reported beside it, never instead of it.
        """
        return Certificate(
            self.plays["equilibrium"].path_regret,
            self.result.tolerance,
            "the largest one-shot deviation gain at the states the forward pass of the "
            "equilibrium passes",
        )

    @property
    def prior(self) -> dict[str, float]:
        return dict(zip(TYPES, self.plays["equilibrium"].prior.tolist()))

    @property
    def values(self) -> dict[str, dict[str, float]]:
        """Russia's value at the start, ``{plan: {type: value}}``."""
        return {
            plan: dict(zip(TYPES, self.result.values[k].tolist())) for k, plan in enumerate(PLANS)
        }

    @property
    def buy_time_gain(self) -> dict[str, float]:
        """What the option to break a deal adds, per type: buying time minus compromise."""
        v = self.values
        return {t: v["buy_time"][t] - v["compromise"][t] for t in TYPES}

    @property
    def buy_time_pays(self) -> dict[str, bool]:
        """Per type: is the best plan that may break a deal worth more than genuine compromise?"""
        return self.result.buy_time_pays()

    def outcomes(self, plan: str = "equilibrium") -> dict[str, dict[str, float]]:
        """``{type: {settled, broken, war, russia_wins, settlement_period}}`` under ``plan``."""
        play = self.plays[plan]
        out = play.by_type()
        for k, t in enumerate(TYPES):
            out[t]["settlement_period"] = float(play.settlement_period[k])
        return out

    def outcome(self, plan: str = "equilibrium") -> dict[str, float]:
        """Outcome probabilities over the types (weighted by the prior) under ``plan``."""
        return self.plays[plan].outcome()

    def paths(self, plan: str = "equilibrium") -> dict[str, dict[str, list[float]]]:
        """``{variable: {mean, q05, q95}}`` over the types under ``plan``.

        Each list holds the start, then the state after each period.
        """
        over = self.plays[plan].overall
        return {
            k: {name: over[k][i].tolist() for i, name in enumerate(("mean", "q05", "q95"))}
            for k in PATHS
        }

    def first_period(self) -> dict[str, Any]:
        """Equilibrium play in the first period: what each type sends, what the public then
        believes, what Ukraine replies and which governments ease, after each message."""
        eq = self.result
        s = eq.setup
        policy = eq.policies[0]
        state = int(eq.state_index(s.settings.initial_position, 0, s.prior_index))
        messages = s.messages
        sends = {
            t: {m: float(p) for m, p in zip(messages, policy.sender[state, k]) if p > 0}
            for k, t in enumerate(TYPES)
        }
        after: dict[str, Any] = {}
        for j, m in enumerate(messages):
            if not s.tables.available[0, j]:
                continue
            profile = int(policy.profile[state, j, 0])
            # where the receivers mix within the first play (two governments, or Ukraine among
            # its replies): each mixing government's probability of easing and each of
            # Ukraine's replies' probability, over the (profile, reply) pairs that can occur
            mixes: dict[str, float] = {}
            ukraine_mixes: dict[str, float] = {}
            if policy.receivers_mix[state, j, 0]:
                w = policy.mixed_weight[state, j, 0]
                held = s.tables.hold[policy.mixed_profile[state, j, 0].astype(int)]
                ease = w @ (1 - held.astype(float))
                mixes = {g: float(p) for g, p in zip(s.names, ease) if 0 < p < 1}
                if j != 0:  # Ukraine's replies over the profiles that can occur
                    for k, p in zip(policy.mixed_reply[state, j, 0], w):
                        name = REPLIES[int(k)]
                        ukraine_mixes[name] = ukraine_mixes.get(name, 0.0) + float(p)
                    ukraine_mixes = {k: p for k, p in ukraine_mixes.items() if 0 < p < 1}
            eases = [
                g for g, held in zip(s.names, s.tables.hold[profile]) if not held and g not in mixes
            ]
            after[m] = {
                "belief": dict(zip(TYPES, policy.belief[state, j].tolist())),
                "ukraine": "battle" if j == 0 else REPLIES[int(policy.reply[state, j, 0])],
                "eases": eases,
                "mixes": mixes,
                "ukraine_mixes": ukraine_mixes,
                "lottery": float(policy.lottery[state, j]),
            }
        return {"sends": sends, "after": after}

    def first_period_text(self) -> str:
        """First-period play in plain words, read off :meth:`first_period`: what each type
        sends and, after each message, what the public believes (P(staller)), which
        governments ease and what Ukraine does; a message no type sends is off the path, and
        what would follow it is what deters it.

        Returns
        -------
        str
        """
        first = self.first_period()
        present = [t for t in TYPES if self.prior[t] > 0]
        by_message: dict[str, list[str]] = {}
        mixing: list[str] = []
        for t in present:
            sends = first["sends"][t]
            if len(sends) == 1:
                by_message.setdefault(next(iter(sends)), []).append(t)
            else:
                mixing.append(
                    f"the {t} type "
                    + " or ".join(
                        f"{_SEND[m][0]} with probability {p:.3g}" for m, p in sends.items()
                    )
                )
        choices = [
            f"every type {_SEND[m][0]}"
            if len(ts) == len(present)
            else f"the {_and(ts)} type {_SEND[m][0]}"
            if len(ts) == 1
            else f"the {_and(ts)} types {_SEND[m][1]}"
            for m, ts in by_message.items()
        ] + mixing
        sentences = [_capital(_and(choices)) + "."]
        for m, after in first["after"].items():
            sent = any(first["sends"][t].get(m, 0) > 0 for t in present)
            staller = sum(p for t, p in after["belief"].items() if t.startswith("staller"))
            eases = [f"{g} eases with probability {p:.3g}" for g, p in after["mixes"].items()]
            if len(after["eases"]) == len(self.result.setup.names):
                eases.insert(0, "every government eases")
            elif after["eases"]:
                eases.insert(
                    0, f"{_and(after['eases'])} {'eases' if len(after['eases']) == 1 else 'ease'}"
                )
            governments = _and(eases) if eases else "every government holds"
            if after["ukraine_mixes"]:
                ukraine = "Ukraine " + " or ".join(
                    f"{_REPLY_VERB[r]} with probability {p:.3g}"
                    for r, p in after["ukraine_mixes"].items()
                )
            elif m == "fight":
                ukraine = "a battle is fought"
            else:
                ukraine = f"Ukraine {_REPLY_VERB[after['ukraine']]}"
            play = f"{governments} and {ukraine}"
            if after["lottery"] > 0:
                play += (
                    f" (with probability {1 - after['lottery']:.3g}; otherwise the receivers "
                    "play another equilibrium of their game, a public lottery)"
                )
            if sent:
                sentences.append(
                    f"After {_AFTER[m]} the public believes P(staller) {staller:.3g}; {play}."
                )
            else:
                sentences.append(
                    f"No type chooses {_AFTER[m]}: after it the public would believe "
                    f"P(staller) {staller:.3g}; {play}, which deters it."
                )
        return " ".join(sentences)

    def verdict(self) -> str:
        """One sentence on "does buying time pay?", read off :attr:`buy_time_pays`."""
        pays = [t for t, p in self.buy_time_pays.items() if p and self.prior[t] > 0]
        not_pays = [t for t, p in self.buy_time_pays.items() if not p and self.prior[t] > 0]
        gain = self.buy_time_gain
        if not pays:
            return (
                "Buying time does not pay: for every type, breaking a deal adds nothing to its "
                "best plan that keeps one."
            )
        text = ", ".join(f"a {t} Russia (+{gain[t]:.3g})" for t in pays)
        others = [f"a {t}" for t in not_pays]
        if len(others) > 1:
            others = [", ".join(others[:-1]) + " or " + others[-1]]
        rest = f"; it does not pay {others[0]} Russia" if not_pays else ""
        return (
            f"Buying time pays {text}: its best plan that may break a deal beats genuine "
            f"compromise{rest}."
        )

    @property
    def states(self) -> dict[str, int]:
        """How many states the equilibrium covers, and at how many of them it is special."""
        return {
            "total": int(sum(p.russia.shape[0] for p in self.result.policies)),
            "multiple": int(self.result.multiple),
            "mixed": int(sum(int(p.mixed.sum()) for p in self.result.policies)),
            "unresolved": int(self.result.unresolved),
        }

    def unresolved_text(self) -> str:
        """How many states have no exact equilibrium, as the terminal, the briefing and the
        figure say it.

        Returns
        -------
        str
            ``"N of M states have no exact equilibrium"`` (``has`` for one).
        """
        states = self.states
        verb = "has" if states["unresolved"] == 1 else "have"
        return f"{states['unresolved']} of {states['total']} states {verb} no exact equilibrium"

    # ---------------------------------------------------------------- tables
    def rows(self) -> list[dict[str, Any]]:
        """One row per plan and type: value, outcome probabilities, settlement period."""
        out = []
        for plan in PLANS:
            values = self.values[plan]
            for t, numbers in self.outcomes(plan).items():
                out.append({"plan": plan, "type": t, "value": values[t], **numbers})
        return out

    def row(self) -> dict[str, Any]:
        """The headline numbers as one flat row."""
        row: dict[str, Any] = {"offer": self.offer, "periods": self.periods}
        for t in TYPES:
            row[f"buy_time_pays.{t}"] = self.buy_time_pays[t]
            for plan in PLANS:
                row[f"value.{plan}.{t}"] = self.values[plan][t]
        for name, p in self.outcome().items():
            row[name] = p
        cert = self.certificate
        row.update(
            {"regret": cert.regret, "tolerance": cert.tolerance, "certified": cert.certified}
        )
        return row

    def to_frame(self) -> Any:
        """:meth:`rows` as a pandas DataFrame."""
        return to_frame(self.rows())

    def _repr_html_(self) -> str:
        return html_table(self.rows(), caption=f"Buy-time equilibrium: {self.verdict()}")

    def __repr__(self) -> str:
        cert = self.certificate
        return (
            f"<EquilibriumResult {self.offer!r}: {self.periods} periods; {self.verdict()} "
            f"certificate {cert.regret:.1e} ({'certified' if cert.certified else 'NOT certified'})>"
        )

    def record(self) -> EquilibriumRecord:
        """Everything but the raw model objects, as its ``results.json`` record.

        Returns
        -------
        EquilibriumRecord
            The settings, values, verdict, first-period play, outcomes and paths of each plan,
            the state counts and both certificates' records.
        """
        settings = self.result.setup.settings
        return EquilibriumRecord(
            **jsonable(
                {
                    "offer": self.offer,
                    "periods": self.periods,
                    "settings": {
                        "front_positions": settings.front_positions,
                        "initial_front": settings.initial_position,
                        "regroup_levels": settings.regroup_levels,
                        "belief_points": settings.belief_points,
                        "ceasefire": settings.ceasefire,
                    },
                    "prior": self.prior,
                    "values": self.values,
                    "ukraine_values": dict(zip(TYPES, self.result.ukraine_values.tolist())),
                    "buy_time_pays": self.buy_time_pays,
                    "buy_time_gain": self.buy_time_gain,
                    "verdict": self.verdict(),
                    "first_period": self.first_period(),
                    "outcomes": {plan: self.outcomes(plan) for plan in PLANS},
                    "outcome": {plan: self.outcome(plan) for plan in PLANS},
                    "paths": {plan: self.paths(plan) for plan in PLANS},
                    "runs": self.runs,
                    "seed": self.seed,
                    "states": self.states,
                    "unresolved_share": float(
                        self.plays["equilibrium"].prior @ self.plays["equilibrium"].unresolved_share
                    ),
                }
            ),
            certificate=self.certificate.record(),
            path_certificate=self.path_certificate.record(),
        )

    def as_dict(self) -> dict[str, Any]:
        """Everything but the raw model objects, JSON-ready: :meth:`record`'s data."""
        return dump_record(self.record())


#: Russia's messages and Ukraine's replies in words (a message's verb: one type, several).
_SEND = {
    "fight": ("fights", "fight"),
    "talk": ("talks", "talk"),
    "withdraw": ("withdraws (verified)", "withdraw (verified)"),
}
_AFTER = {"fight": "fighting", "talk": "talks", "withdraw": "a verified withdrawal"}
_REPLY_VERB = {"sign": "signs", "ceasefire": "agrees a ceasefire", "fight on": "fights on"}


def _and(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
