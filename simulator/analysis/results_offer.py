"""Offer-game results: the selected equilibrium for each offer of a ``solve`` analysis.

Part of :mod:`simulator.analysis.results` (which re-exports these classes).
:class:`OfferSolution` holds the selected perfect Bayesian equilibrium for one offer in
plain data; :class:`SolveResult` the solutions of one ``solve`` analysis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from simulator.analysis.certificate import Certificate
from simulator.analysis.records import OfferSolutionRecord, SolveRecord, dump_record
from simulator.analysis.tables import html_table, jsonable, to_frame
from simulator.model.offer_game import OUTCOMES, TYPES, OfferGameResult

__all__ = ["OfferSolution", "SolveResult"]

#: The types whose outcome is reported: the four types, then sincere and staller.
_OUTCOME_TYPES = (*TYPES, "sincere", "staller")
#: How the selected equilibrium was found (the certificate's method after "by <method>").
_METHOD = (
    "(docs/offer_game.md: pure strategies first, off-path beliefs searched among the prior "
    "restricted to each set of types, selected by the intuitive criterion, then Russia's "
    "ex-ante payoff; else a sequential equilibrium traced on the game tree)"
)


def _sends(distribution: Mapping[str, float]) -> str:
    """``{"fight": 0.6, "talk": 0.4}`` -> ``"fight 0.6, talk 0.4"``; a sure choice alone."""
    used = [(m, p) for m, p in distribution.items() if p > 1e-9]
    if len(used) == 1:
        return used[0][0]
    return ", ".join(f"{m} {p:.3g}" for m, p in used)


# ====================================================================== offer game
@dataclass(frozen=True, eq=False)
class OfferSolution:
    """The selected perfect Bayesian equilibrium of the offer game for one offer.

    Holds the model's own :class:`~simulator.model.offer_game.OfferGameResult` and derives
    from it every other attribute in plain data (read-only); ``messages`` gives each
    Russian type's probabilities of fighting, talking and (when the offer has a withdrawal
    cost) withdrawing.

    Attributes
    ----------
    offer : str
        The offer's name (``"menu: ..."`` for an offer menu).
    terms : dict
        The offer's fields (alignment, guarantees, ...).
    result : OfferGameResult
        The model's own result object (not serialised).
    kind, regime : str
        Derived from :attr:`result`, as are all the attributes below.
    messages : dict
        ``{type: {message: probability}}``.
    outcome : dict
        Each type's most likely outcome.
    outcome_probabilities : dict
    settlement_probability, renewed_war_probability, war_probability : float
    posterior, posterior_weak, on_path, west_actions, pressure, acceptance, payoffs : dict
    equilibria : int
        How many perfect Bayesian equilibria were found.
    intuitive : bool or None
        Whether the selected one passes the intuitive criterion (None: nothing was found;
        False for a mixed equilibrium traced on the game tree, where it is not checked).
    certificate : Certificate
    """

    offer: str
    terms: dict[str, Any]
    result: OfferGameResult = field(repr=False, compare=False)

    # ---------------------------------------------------------------- derived from the result
    @property
    def kind(self) -> str:
        return self.result.kind

    @property
    def regime(self) -> str:
        return self.result.regime

    @cached_property
    def messages(self) -> dict[str, dict[str, float]]:
        r = self.result
        return {t: {m: float(r.row[f"message.{t}.{m}"]) for m in r.messages} for t in TYPES}

    @cached_property
    def outcome_probabilities(self) -> dict[str, dict[str, float]]:
        row = self.result.row
        return {t: {o: float(row[f"outcome.{t}.{o}"]) for o in OUTCOMES} for t in _OUTCOME_TYPES}

    @cached_property
    def outcome(self) -> dict[str, str]:
        probabilities = self.outcome_probabilities
        return {t: max(OUTCOMES, key=lambda o, t=t: probabilities[t][o]) for t in _OUTCOME_TYPES}

    @property
    def settlement_probability(self) -> float:
        return float(self.result.settlement_probability)

    @property
    def renewed_war_probability(self) -> float:
        return float(self.result.renewed_war_probability)

    @property
    def war_probability(self) -> float:
        return float(self.result.war_probability)

    def _by_message(self, column: str, messages: Any = None) -> dict[str, float]:
        """The result's row ``column.message`` for each message (default: every message)."""
        r = self.result
        chosen = r.messages if messages is None else messages
        return {m: float(r.row[f"{column}.{m}"]) for m in chosen}

    @cached_property
    def posterior(self) -> dict[str, float]:
        return self._by_message("posterior")

    @cached_property
    def posterior_weak(self) -> dict[str, float]:
        return self._by_message("posterior_weak")

    @cached_property
    def on_path(self) -> dict[str, bool]:
        return {m: value == 1.0 for m, value in self._by_message("on_path").items()}

    @cached_property
    def west_actions(self) -> dict[str, dict[str, float]]:
        r = self.result
        names = [g for g in r.payoffs if g not in ("Russia", "Ukraine")]
        return {m: {g: float(r.row[f"ease.{m}.{g}"]) for g in names} for m in r.messages}

    @cached_property
    def pressure(self) -> dict[str, float]:
        return self._by_message("pressure")

    @cached_property
    def acceptance(self) -> dict[str, float]:
        return self._by_message("acceptance", self.result.messages[1:])

    @property
    def payoffs(self) -> dict[str, dict[str, float]]:
        return self.result.payoffs

    @property
    def equilibria(self) -> int:
        return int(self.result.equilibria)

    @property
    def intuitive(self) -> bool | None:
        eq = self.result.selected
        return None if eq is None else eq.intuitive

    @cached_property
    def certificate(self) -> Certificate:
        r = self.result
        eq = r.selected
        method = (
            "no equilibrium found"
            if eq is None
            else f"perfect Bayesian equilibrium by {eq.method} {_METHOD}"
        )
        return Certificate(float(r.certificate), float(r.tolerance), method)

    def __repr__(self) -> str:
        return (
            f"OfferSolution(offer={self.offer!r}, regime={self.regime!r}, "
            f"certified={self.certificate.certified})"
        )

    def behaviour(self) -> dict[str, str]:
        """Each actor's equilibrium behaviour in a few words.

        ``Russia (sincere)``, ``Russia (staller)``: the messages sent and the outcome;
        ``West``: each government's response to every message sent; ``Ukraine``: its
        acceptance of each offer message sent.
        """
        out = {
            f"Russia ({t})": f"{_sends(self.messages[t])} -> {self.outcome[t]}"
            for t in self.messages
        }
        west = []
        ukraine = []
        for message, sent in self.on_path.items():
            if not sent:
                continue
            responses = []
            for government, p in self.west_actions.get(message, {}).items():
                act = "eases" if p > 1 - 1e-9 else "holds" if p < 1e-9 else f"eases {p:.2g}"
                responses.append(f"{government} {act}")
            west.append(f"after {message}: " + ", ".join(responses))
            if message in self.acceptance:
                p = self.acceptance[message]
                act = "accepts" if p > 1 - 1e-9 else "rejects" if p < 1e-9 else f"accepts {p:.2g}"
                ukraine.append(f"after {message}: {act}")
        out["West"] = "; ".join(west)
        out["Ukraine"] = "; ".join(ukraine) or "no offer is made"
        return out

    def row(self) -> dict[str, Any]:
        """The headline numbers as one flat table row."""
        row: dict[str, Any] = {"offer": self.offer, "kind": self.kind, "regime": self.regime}
        for t, dist in self.messages.items():
            row[f"{t}.sends"] = _sends(dist)
            row[f"{t}.outcome"] = self.outcome[t]
        row.update(
            {
                "settlement_probability": self.settlement_probability,
                "renewed_war_probability": self.renewed_war_probability,
                "war_probability": self.war_probability,
            }
        )
        for actor, values in self.payoffs.items():
            row[f"payoff.{actor}"] = values["expected"]
        row.update(
            {
                "equilibria": self.equilibria,
                "regret": self.certificate.regret,
                "tolerance": self.certificate.tolerance,
                "certified": self.certificate.certified,
            }
        )
        return row

    def record(self) -> OfferSolutionRecord:
        """Everything but the raw model result, as its ``results.json`` record.

        Returns
        -------
        OfferSolutionRecord
            The fields of the solution, :meth:`behaviour` and the certificate's record.
        """
        return OfferSolutionRecord(
            **jsonable(
                {
                    "offer": self.offer,
                    "terms": self.terms,
                    "kind": self.kind,
                    "regime": self.regime,
                    "messages": self.messages,
                    "outcome": self.outcome,
                    "outcome_probabilities": self.outcome_probabilities,
                    "settlement_probability": self.settlement_probability,
                    "renewed_war_probability": self.renewed_war_probability,
                    "war_probability": self.war_probability,
                    "posterior": self.posterior,
                    "on_path": self.on_path,
                    "west_actions": self.west_actions,
                    "pressure": self.pressure,
                    "acceptance": self.acceptance,
                    "posterior_weak": self.posterior_weak,
                    "payoffs": self.payoffs,
                    "behaviour": self.behaviour(),
                    "equilibria": self.equilibria,
                    "intuitive": self.intuitive,
                }
            ),
            certificate=self.certificate.record(),
        )

    def as_dict(self) -> dict[str, Any]:
        """Everything but the raw model result, JSON-ready: :meth:`record`'s data."""
        return dump_record(self.record())

    def to_frame(self) -> Any:
        """:meth:`row` as a one-row pandas DataFrame."""
        return to_frame([self.row()])

    def _repr_html_(self) -> str:
        return html_table([self.row()], caption=f"Offer game: {self.offer}")


@dataclass(frozen=True, eq=False)
class SolveResult:
    """A ``solve`` analysis: the offer game solved for each of its offers.

    Attributes
    ----------
    index : int
        Position of the analysis in the scenario file (1-based; 0 for implicit analyses).
    target : str
    solutions : tuple of OfferSolution
    """

    index: int
    target: str
    solutions: tuple[OfferSolution, ...]
    kind: str = field(default="solve", init=False)

    def __repr__(self) -> str:
        offers = [s.offer for s in self.solutions]
        return f"SolveResult(index={self.index}, target={self.target!r}, offers={offers})"

    def solution(self, offer: str) -> OfferSolution:
        """The solution for the offer called ``offer``."""
        for s in self.solutions:
            if s.offer == offer:
                return s
        raise KeyError(
            f"no solution for offer {offer!r}; offers: {[s.offer for s in self.solutions]}"
        )

    def rows(self) -> list[dict[str, Any]]:
        """One row per offer."""
        return [{"analysis": self.index, **s.row()} for s in self.solutions]

    def certificates(self) -> list[Certificate]:
        """Every certificate of the analysis."""
        return [s.certificate for s in self.solutions]

    def record(self) -> SolveRecord:
        """The analysis as its ``results.json`` record.

        Returns
        -------
        SolveRecord
            ``kind``, ``index``, ``target`` and each solution's record.
        """
        return SolveRecord(
            kind=self.kind,
            index=self.index,
            target=self.target,
            solutions=[s.record() for s in self.solutions],
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data: :meth:`record`'s."""
        return dump_record(self.record())

    def to_frame(self) -> Any:
        """:meth:`rows` as a pandas DataFrame."""
        return to_frame(self.rows())

    def _repr_html_(self) -> str:
        return html_table(self.rows(), caption="Offer game: selected equilibrium per offer")
