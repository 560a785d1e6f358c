"""The actors: Russia, Ukraine and Western governments, with their payoff parameters.

Stakes are measured in units of the whole issue in dispute (Ukraine's alignment and
territory: 1 = everything), per period where a parameter says so. Each actor is an
immutable dataclass; every field is a documented, range-checked parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from simulator.model.parameters import ParameterError, parameter, validate

__all__ = ["Leader", "Russia", "Ukraine", "WesternGovernment", "West", "AGGREGATIONS"]

STAKE = "share of the stake (the whole issue = 1)"
PER_PERIOD = "share of the stake per period"
PROBABILITY = "probability"

AGGREGATIONS = ("sum", "weakest_link", "threshold")


@dataclass(frozen=True)
class Leader:
    """Leader-survival terms (Goemans 2000; Chiozza & Goemans 2004; Debs & Goemans 2010).

    The leader values holding office and fears punishment after removal; removal is
    more likely after a settlement that admits failure or after defeat than after victory.

    Attributes
    ----------
    office_value : float
        Value to the leader of staying in office. In ``[0, 100]``, share of the stake (the whole
        issue = 1); default 1.0.
    punishment : float
        Cost to the leader of being removed. In ``[0, 100]``, share of the stake (the whole
        issue = 1); default 2.0.
    removal_if_settle : float
        Probability the leader is removed after a settlement that concedes the whole status
        premium (scaled by the share conceded). In ``[0, 1]``, probability; default 0.3.
    removal_if_win : float
        Probability the leader is removed after winning the war. In ``[0, 1]``, probability;
        default 0.05.
    removal_if_lose : float
        Probability the leader is removed after losing the war. In ``[0, 1]``, probability;
        default 0.6.
    removal_while_fighting : float
        Probability the leader is removed in a period of war whatever its outcome (unrest, a
        coup). In ``[0, 1]``, probability per period of war; default 0.0.

    Raises
    ------
    ParameterError
        If a parameter is not a number in its range (the message names it as
        ``russia.leader.<field>``).
    """

    office_value: float = parameter(
        1.0,
        low=0,
        high=100,
        unit=STAKE,
        description="value to the leader of staying in office",
        label="Leader's value of staying in office",
    )
    punishment: float = parameter(
        2.0,
        low=0,
        high=100,
        unit=STAKE,
        description="cost to the leader of being removed",
        label="Leader's cost of being removed",
    )
    removal_if_settle: float = parameter(
        0.3,
        low=0,
        high=1,
        unit=PROBABILITY,
        description="probability the leader is removed after a settlement that concedes the "
        "whole status premium (scaled by the share conceded)",
        label="Risk of removal after a compromise",
    )
    removal_if_win: float = parameter(
        0.05,
        low=0,
        high=1,
        unit=PROBABILITY,
        description="probability the leader is removed after winning the war",
        label="Risk of removal after victory",
    )
    removal_if_lose: float = parameter(
        0.6,
        low=0,
        high=1,
        unit=PROBABILITY,
        description="probability the leader is removed after losing the war",
        label="Risk of removal after defeat",
    )

    removal_while_fighting: float = parameter(
        0.0,
        low=0,
        high=1,
        unit="probability per period of war",
        description="probability the leader is removed in a period of war whatever its "
        "outcome (unrest, a coup)",
        label="Risk of removal in a period of war",
    )

    def __post_init__(self) -> None:
        validate(self, "russia.leader")


@dataclass(frozen=True)
class Russia:
    """Russia's payoff parameters.

    ``great_power_status`` is the status premium Russia attaches to keeping Ukraine inside its
    sphere: claim 3 of the mission. Russia keeps all of it while Ukraine's alignment is at or
    below ``dominance_threshold`` and loses it linearly over the next ``status_loss_span`` of
    alignment (:func:`simulator.model.rules.status_retained`), so the default threshold (0.15)
    lies below neutrality (0.3) and a truly neutral Ukraine already costs Russia half its
    premium.

    Russia's type is private in two dimensions: *sincere* or *staller* (prior
    ``prior_sincere``) and *strong* (``capability``) or *weak* (``weak_capability_share`` of it,
    prior ``1 - prior_strong``).

    Attributes
    ----------
    great_power_status : float
        Status premium Russia attaches to dominance over Ukraine. In ``[0, 10]``, share of the
        stake (the whole issue = 1); default 0.5.
    dominance_threshold : float
        Ukraine's Western alignment above which Russia starts losing its status premium. In
        ``[0, 1]``, alignment (0 = Russia's sphere, 1 = fully Western); default 0.15.
    status_loss_span : float
        How much further alignment takes away the whole status premium (linearly). In
        ``(0, 1]``, alignment (0 = Russia's sphere, 1 = fully Western); default 0.3.
    sanctions_cost : float
        Russia's loss per period from sanctions at full Western cohesion. In ``[0, 10]``, share
        of the stake per period; default 0.1.
    war_cost : float
        Russia's cost of (continued) war. In ``[0, 10]``, share of the stake (the whole issue =
        1); default 0.1.
    capability : float
        Military capability of a strong Russia, entering the contest function. In
        ``(0, 1e+06]``, relative military capability; default 1.0.
    weak_capability_share : float
        Capability of a weak Russia as a share of a strong one's (private: only Russia knows
        which it is); 1 for no private information about strength. In ``(0, 1]``, share of a
        strong Russia's capability; default 0.7.
    prior_strong : float
        Outsiders' prior that Russia is strong. In ``(0, 1)``, probability; default 0.5.
    capability_ceiling : float
        Capability Russia can restore towards by regrouping (K_bar). In ``(0, 1e+06]``, relative
        military capability; default 1.5.
    regroup_rate_sincere : float
        Regroup rate of a sincere Russia during talks. In ``[0, 1]``, share of the gap to the
        ceiling restored per period; default 0.05.
    regroup_rate_staller : float
        Regroup rate of a stalling Russia during talks (buying time). In ``[0, 1]``, share of
        the gap to the ceiling restored per period; default 0.25.
    discount_factor : float
        Weight Russia puts on next period's payoff. In ``[0, 1)``, per period; default 0.95.
    prior_sincere : float
        Outsiders' prior that a Russian offer is sincere. In ``(0, 1)``, probability; default
        0.5.
    optimism : float
        How much Russia overestimates its probability of winning. In ``[-1, 1]``, probability;
        default 0.0.
    audience_cost : float
        Domestic cost to Russia's leadership of a settlement, per unit of status premium it
        concedes. In ``[0, 100]``, share of the stake (the whole issue = 1); default 0.2.
    leader : Leader
        The Russian leader's survival terms.

    Raises
    ------
    ParameterError
        If a parameter is not a number in its range (the message names it as
        ``russia.<field>``).
    """

    great_power_status: float = parameter(
        0.5,
        low=0,
        high=10,
        unit=STAKE,
        description="status premium Russia attaches to dominance over Ukraine",
        label="Great-power status premium",
    )
    dominance_threshold: float = parameter(
        0.15,
        low=0,
        high=1,
        unit="alignment (0 = Russia's sphere, 1 = fully Western)",
        description="Ukraine's Western alignment above which Russia starts losing its status "
        "premium",
        label="Alignment Russia tolerates (dominance threshold)",
    )
    status_loss_span: float = parameter(
        0.3,
        low=0,
        high=1,
        low_open=True,
        unit="alignment (0 = Russia's sphere, 1 = fully Western)",
        description="how much further alignment takes away the whole status premium (linearly)",
        label="Alignment over which Russia loses its status premium",
    )
    sanctions_cost: float = parameter(
        0.1,
        low=0,
        high=10,
        unit=PER_PERIOD,
        description="Russia's loss per period from sanctions at full Western cohesion",
        label="Cost of sanctions to Russia",
    )
    war_cost: float = parameter(
        0.1,
        low=0,
        high=10,
        unit=STAKE,
        description="Russia's cost of (continued) war",
        label="Russia's cost of war",
    )
    capability: float = parameter(
        1.0,
        low=0,
        high=1e6,
        low_open=True,
        unit="relative military capability",
        description="military capability of a strong Russia, entering the contest function",
        label="Russian military capability",
    )
    weak_capability_share: float = parameter(
        0.7,
        low=0,
        high=1,
        low_open=True,
        unit="share of a strong Russia's capability",
        description="capability of a weak Russia as a share of a strong one's (private: only "
        "Russia knows which it is); 1 for no private information about strength",
        label="Capability of a weak Russia (share of a strong one's)",
    )
    prior_strong: float = parameter(
        0.5,
        low=0,
        high=1,
        low_open=True,
        high_open=True,
        unit=PROBABILITY,
        description="outsiders' prior that Russia is strong",
        label="Prior belief that Russia is strong",
    )
    capability_ceiling: float = parameter(
        1.5,
        low=0,
        high=1e6,
        low_open=True,
        unit="relative military capability",
        description="capability Russia can restore towards by regrouping (K_bar)",
        label="Capability Russia can restore",
    )
    regroup_rate_sincere: float = parameter(
        0.05,
        low=0,
        high=1,
        unit="share of the gap to the ceiling restored per period",
        description="regroup rate of a sincere Russia during talks",
        label="Regrouping speed of a sincere Russia",
        display_unit="share of the gap restored per period",
    )
    regroup_rate_staller: float = parameter(
        0.25,
        low=0,
        high=1,
        unit="share of the gap to the ceiling restored per period",
        description="regroup rate of a stalling Russia during talks (buying time)",
        label="Regrouping speed of a stalling Russia",
        display_unit="share of the gap restored per period",
    )
    discount_factor: float = parameter(
        0.95,
        low=0,
        high=1,
        high_open=True,
        unit="per period",
        description="weight Russia puts on next period's payoff",
        label="Russia's patience (discount factor)",
        display_unit="",
    )
    prior_sincere: float = parameter(
        0.5,
        low=0,
        high=1,
        low_open=True,
        high_open=True,
        unit=PROBABILITY,
        description="outsiders' prior that a Russian offer is sincere",
        label="Prior belief that Russia is sincere",
    )
    optimism: float = parameter(
        0.0,
        low=-1,
        high=1,
        unit=PROBABILITY,
        description="how much Russia overestimates its probability of winning",
        label="Russian optimism about winning",
    )
    audience_cost: float = parameter(
        0.2,
        low=0,
        high=100,
        unit=STAKE,
        description="domestic cost to Russia's leadership of a settlement, per unit of status "
        "premium it concedes",
        label="Russian leadership's cost of conceding status",
    )
    leader: Leader = field(default_factory=Leader)

    def __post_init__(self) -> None:
        validate(self, "russia")


@dataclass(frozen=True)
class Ukraine:
    """Ukraine's payoff parameters.

    Attributes
    ----------
    war_cost : float
        Ukraine's cost of (continued) war. In ``[0, 10]``, share of the stake (the whole issue =
        1); default 0.15.
    capability : float
        Ukraine's military capability entering the contest function. In ``(0, 1e+06]``, relative
        military capability; default 1.0.
    discount_factor : float
        Weight Ukraine puts on next period's payoff. In ``[0, 1)``, per period; default 0.95.
    audience_cost : float
        Domestic cost to the Ukrainian government of a deal, per unit of contested territory it
        cedes. In ``[0, 100]``, share of the stake (the whole issue = 1); default 0.2.
    resolve : float
        Value Ukraine puts on winning the war beyond the stake itself. In ``[0, 10]``, share of
        the stake (the whole issue = 1); default 0.1.

    Raises
    ------
    ParameterError
        If a parameter is not a number in its range (the message names it as
        ``ukraine.<field>``).
    """

    war_cost: float = parameter(
        0.15,
        low=0,
        high=10,
        unit=STAKE,
        description="Ukraine's cost of (continued) war",
        label="Ukraine's cost of war",
    )
    capability: float = parameter(
        1.0,
        low=0,
        high=1e6,
        low_open=True,
        unit="relative military capability",
        description="Ukraine's military capability entering the contest function",
        label="Ukrainian military capability",
    )
    discount_factor: float = parameter(
        0.95,
        low=0,
        high=1,
        high_open=True,
        unit="per period",
        description="weight Ukraine puts on next period's payoff",
        label="Ukraine's patience (discount factor)",
        display_unit="",
    )
    audience_cost: float = parameter(
        0.2,
        low=0,
        high=100,
        unit=STAKE,
        description="domestic cost to the Ukrainian government of a deal, per unit of contested "
        "territory it cedes",
        label="Ukrainian government's cost of ceding territory",
    )
    resolve: float = parameter(
        0.1,
        low=0,
        high=10,
        unit=STAKE,
        description="value Ukraine puts on winning the war beyond the stake itself",
        label="Value Ukraine puts on winning",
    )

    def __post_init__(self) -> None:
        validate(self, "ukraine")


@dataclass(frozen=True)
class WesternGovernment:
    """One Western government in the coalition supporting Ukraine (``docs/models/coalition.md``).

    Attributes
    ----------
    name : str
        The government's name (non-empty), unique in its :class:`West`.
    weight : float
        The government's weight in the coalition (arms, money, votes). In ``(0, 1e+06]``,
        relative weight; default 1.0.
    sanctions_burden : float
        The government's own cost of sanctioning Russia (e.g. energy dependence). In
        ``[0, 10]``, share of the stake per period; default 0.2.
    value_of_success : float
        Value the government puts on Ukraine's success. In ``[0, 10]``, share of the stake (the
        whole issue = 1); default 1.0.
    audience_cost : float
        Domestic cost of publicly reneging on support. In ``[0, 10]``, share of the stake (the
        whole issue = 1); default 0.2.
    fatigue_rate : float
        How fast the government's burden of sanctioning grows with time. In ``[0, 1]``, growth
        of the sanctions burden per period; default 0.02.
    defection_threshold : float
        Share of the coalition already defecting that makes this government defect (Granovetter
        1978). In ``[0, 1]``, share of the coalition's weight; default 0.5.

    Raises
    ------
    ParameterError
        If a parameter is not a number in its range (the message names it as
        ``west.governments.<name>.<field>``), or ``name`` is empty or not a string.
    """

    name: str
    weight: float = parameter(
        1.0,
        low=0,
        high=1e6,
        low_open=True,
        unit="relative weight",
        description="the government's weight in the coalition (arms, money, votes)",
        label="weight in the coalition",
    )
    sanctions_burden: float = parameter(
        0.2,
        low=0,
        high=10,
        unit=PER_PERIOD,
        description="the government's own cost of sanctioning Russia (e.g. energy dependence)",
        label="own cost of sanctioning",
    )
    value_of_success: float = parameter(
        1.0,
        low=0,
        high=10,
        unit=STAKE,
        description="value the government puts on Ukraine's success",
        label="value of Ukraine's success",
    )
    audience_cost: float = parameter(
        0.2,
        low=0,
        high=10,
        unit=STAKE,
        description="domestic cost of publicly reneging on support",
        label="cost of reneging on support",
    )
    fatigue_rate: float = parameter(
        0.02,
        low=0,
        high=1,
        unit="growth of the sanctions burden per period",
        description="how fast the government's burden of sanctioning grows with time",
        label="growth of sanctions fatigue",
    )
    defection_threshold: float = parameter(
        0.5,
        low=0,
        high=1,
        unit="share of the coalition's weight",
        description="share of the coalition already defecting that makes this government defect "
        "(Granovetter 1978)",
        label="defection threshold",
    )

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ParameterError("name", self.name, "a Western government needs a non-empty name")
        validate(self, f"west.governments.{self.name}")

    @property
    def net_support(self) -> float:
        """Value of success minus the sanctions burden: positive means it keeps sanctioning."""
        return self.value_of_success - self.sanctions_burden


def _default_governments() -> tuple[WesternGovernment, ...]:
    return (WesternGovernment("West"),)


@dataclass(frozen=True)
class West:
    """Western governments as a coalition; one aggregate government by default.

    ``aggregation`` says how members' support becomes coalition pressure
    (Hirshleifer 1983; Sandler & Hartley 2001): ``"sum"`` (weighted sum, e.g. arms
    supplies), ``"weakest_link"`` (the least committed member decides, e.g. sanctions
    needing unanimity) or ``"threshold"`` (pressure holds while the supporting weight
    share reaches ``cohesion_threshold``).

    Attributes
    ----------
    governments : tuple of WesternGovernment
        The coalition's members (at least one; names unique and neither ``"Russia"`` nor
        ``"Ukraine"``); one aggregate government ``"West"`` by default.
    aggregation : {"sum", "weakest_link", "threshold"}
        How members' support becomes coalition pressure (default ``"sum"``).
    western_cohesion : float
        Current cohesion of Western support (1 = united, 0 = collapsed). In ``[0, 1]``, share of
        full cohesion; default 1.0.
    cohesion_threshold : float
        Supporting weight share needed under threshold aggregation. In ``[0, 1]``, share of the
        coalition's weight; default 0.5.
    arms_support : float
        How much full Western arms supplies raise Ukraine's battlefield capability
        (proportionally, scaled by the share of the coalition's weight still supplying). In
        ``[0, 10]``, proportional boost to Ukraine's capability; default 0.5.
    periods_of_war : int
        How long the war has lasted when the offer is made: each government's sanctions burden
        has grown by its fatigue rate for this many periods (offer game). In ``[0, 1000]``,
        periods; default 0.
    security_guarantee_credibility : float
        Probability the West honours the security guarantees it gives. In ``[0, 1]``,
        probability; default 1.0.

    Raises
    ------
    ParameterError
        If a parameter is not a number in its range (the message names it as
        ``west.<field>``), ``aggregation`` is unknown, or ``governments`` is empty, has duplicate
        names or uses a reserved name.
    """

    governments: tuple[WesternGovernment, ...] = field(default_factory=_default_governments)
    aggregation: Literal["sum", "weakest_link", "threshold"] = "sum"
    western_cohesion: float = parameter(
        1.0,
        low=0,
        high=1,
        unit="share of full cohesion",
        description="current cohesion of Western support (1 = united, 0 = collapsed)",
        label="Western cohesion",
    )
    cohesion_threshold: float = parameter(
        0.5,
        low=0,
        high=1,
        unit="share of the coalition's weight",
        description="supporting weight share needed under threshold aggregation",
        label="Support needed to keep the coalition together",
    )
    arms_support: float = parameter(
        0.5,
        low=0,
        high=10,
        unit="proportional boost to Ukraine's capability",
        description="how much full Western arms supplies raise Ukraine's battlefield capability "
        "(proportionally, scaled by the share of the coalition's weight still supplying)",
        label="Boost to Ukraine's capability from Western arms",
    )
    periods_of_war: float = parameter(
        0,
        low=0,
        high=1000,
        integer=True,
        unit="periods",
        description="how long the war has lasted when the offer is made: each government's "
        "sanctions burden has grown by its fatigue rate for this many periods (offer game)",
        label="Periods of war before the offer",
    )
    security_guarantee_credibility: float = parameter(
        1.0,
        low=0,
        high=1,
        unit=PROBABILITY,
        description="probability the West honours the security guarantees it gives",
        label="Credibility of Western security guarantees",
    )

    def __post_init__(self) -> None:
        if self.aggregation not in AGGREGATIONS:
            raise ParameterError(
                "west.aggregation",
                self.aggregation,
                f"west.aggregation = {self.aggregation!r} is not allowed; "
                f"choose one of {list(AGGREGATIONS)}",
            )
        object.__setattr__(self, "governments", tuple(self.governments))
        if not self.governments:
            raise ParameterError("west.governments", (), "the West needs at least one government")
        names = [g.name for g in self.governments]
        reserved = sorted({"Russia", "Ukraine"} & set(names))
        if reserved:
            raise ParameterError(
                "west.governments",
                names,
                f"a Western government may not be called {reserved}: the name belongs to "
                "another player; rename it",
            )
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ParameterError(
                "west.governments", names, f"duplicate Western government names: {duplicates}"
            )
        validate(self, "west")

    def government(self, name: str) -> WesternGovernment:
        for g in self.governments:
            if g.name == name:
                return g
        raise KeyError(
            f"no Western government {name!r}; there are {[g.name for g in self.governments]}"
        )
