"""Buy-time dynamics: how the game is run and what each actor plays.

:class:`DynamicsSettings` holds the horizon, the front, the evidence and the rules of talks;
:class:`StrategyProfile` one strategy for each actor, from :data:`RUSSIA_STRATEGIES`,
:data:`WEST_STRATEGIES` and :data:`UKRAINE_STRATEGIES`; :data:`PROFILES` the profiles the scenario
sketch compares. ``docs/dynamics.md`` states the rules and :func:`simulator.model.dynamics.simulate`
plays them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulator.model import rules
from simulator.model.parameters import ParameterError, parameter, validate

__all__ = [
    "DynamicsSettings",
    "PROFILES",
    "RUSSIA_STRATEGIES",
    "StrategyProfile",
    "UKRAINE_STRATEGIES",
    "WEST_STRATEGIES",
]

RUSSIA_STRATEGIES = ("genuine_compromise", "buy_time", "fight_on")
WEST_STRATEGIES = ("sceptical", "reciprocate", "hold", "best_response")
UKRAINE_STRATEGIES = ("accept_if_guaranteed", "talk_while_fighting", "reject")

PER_PERIOD = "share of the stake per period"


# ---------------------------------------------------------------------------- settings


def periods_played() -> Any:
    """The horizon's parameter, declared once for the fixed-profile and the buy-time games."""
    return parameter(
        24,
        low=1,
        high=500,
        integer=True,
        unit="periods",
        description="number of periods played",
        label="Periods played",
    )


@dataclass(frozen=True)
class DynamicsSettings:
    """How the multi-period game is run: horizon, front, evidence and the rules of talks.

    Every field is a documented, range-checked parameter (see ``docs/dynamics.md``).

    Attributes
    ----------
    periods : int
        Number of periods played. In ``[1, 500]``, periods (a whole number); default 24.
    front_positions : int
        N: the front runs over 0..N, absorbing at 0 (Ukraine prevails) and N (Russia
        prevails). In ``[2, 200]``, positions (a whole number); default 10.
    initial_front : float
        Starting front as a share of N (rounded to an interior position,
        :attr:`initial_position`). In ``(0, 1)``, share of the stake held by Russia; default
        0.5.
    signal_noise : float
        Standard deviation of the West's observation of Russia's regroup effort in each period
        of talks. In ``(0, 100]``, regroup rate; default 0.2.
    easing : float
        Share of sanctions the West lifts while it eases during talks. In ``[0, 1]``, share of
        sanctions; default 0.5.
    sanctions_drag : float
        Share of Russia's regrouping that sanctions block while the West holds them during
        talks. In ``[0, 1]``, share of the regroup rate; default 0.5.
    wedge_budget : float
        Inducement Russia spends per period of talks on the coalition's weakest link. In
        ``[0, 10]``, share of the stake per period; default 0.02.
    resume_threshold : float
        ``buy_time`` resumes the war once it has restored this share of the gap between its
        initial capability and the ceiling. In ``[0, 1]``, share of the capability gap; default
        0.8.
    resume_patience : int
        ``buy_time`` also resumes after this many consecutive periods of talks in which the
        West held sanctions (talks stop paying); 0 = never. In ``[0, 1000]``, periods (a whole
        number); default 3.
    guarantee_level : float
        Least effective security guarantee at which ``accept_if_guaranteed`` signs. In
        ``[0, 1]``, strength G x credibility; default 0.5.
    negotiation_periods : int
        Periods of talks needed before a deal can be signed. In ``[0, 1000]``, periods (a whole
        number); default 1.
    west_discount_factor : float
        Weight the Western governments put on next period's payoff. In ``[0, 1)``, per period;
        default 0.95.
    terminal_value : bool
        Whether the final state's flow (without war costs) continues for ever after the last
        period; default True.

    Raises
    ------
    ParameterError
        If a setting is outside its range, not a whole number where one is required, or
        ``terminal_value`` is not a bool (the message names it as ``dynamics.<field>``).

    Examples
    --------
    >>> s = DynamicsSettings(periods=12, front_positions=6)
    >>> s.periods, s.initial_position
    (12, 3)
    >>> DynamicsSettings(signal_noise=0)
    Traceback (most recent call last):
    ...
    simulator.model.parameters.ParameterError: dynamics.signal_noise = 0 is outside ...
    """

    periods: int = periods_played()
    front_positions: int = parameter(
        10,
        low=2,
        high=200,
        integer=True,
        unit="positions",
        description="N: the front runs over 0..N, absorbing at 0 (Ukraine prevails) and N "
        "(Russia prevails)",
        label="Front positions",
    )
    initial_front: float = parameter(
        0.5,
        low=0,
        high=1,
        low_open=True,
        high_open=True,
        unit="share of the stake held by Russia",
        description="starting front as a share of N (rounded to an interior position)",
        label="Starting front",
    )
    signal_noise: float = parameter(
        0.2,
        low=0,
        high=100,
        low_open=True,
        unit="regroup rate",
        description="standard deviation of the West's observation of Russia's regroup effort "
        "in each period of talks",
        label="Noise in the West's signal of regrouping",
    )
    easing: float = parameter(
        0.5,
        low=0,
        high=1,
        unit="share of sanctions",
        description="share of sanctions the West lifts while it eases during talks",
        label="Share of sanctions eased during talks",
    )
    sanctions_drag: float = parameter(
        0.5,
        low=0,
        high=1,
        unit="share of the regroup rate",
        description="share of Russia's regrouping that sanctions block while the West holds "
        "them during talks",
        label="Regrouping blocked by sanctions",
    )
    wedge_budget: float = parameter(
        0.02,
        low=0,
        high=10,
        unit=PER_PERIOD,
        description="inducement Russia spends per period of talks on the coalition's weakest link",
        label="Russia's inducement budget per period",
    )
    resume_threshold: float = parameter(
        0.8,
        low=0,
        high=1,
        unit="share of the capability gap",
        description="buy_time resumes the war once it has restored this share of the gap "
        "between its initial capability and the ceiling",
        label="Regrouping after which buying time resumes the war",
    )
    resume_patience: int = parameter(
        3,
        low=0,
        high=1000,
        integer=True,
        unit="periods",
        description="buy_time also resumes after this many consecutive periods of talks in which "
        "the West held sanctions (talks stop paying); 0 = never",
        label="Periods of held sanctions before buying time resumes the war",
    )
    guarantee_level: float = parameter(
        0.5,
        low=0,
        high=1,
        unit="strength G x credibility",
        description="least effective security guarantee at which accept_if_guaranteed signs",
        label="Guarantee needed to sign",
    )
    negotiation_periods: int = parameter(
        1,
        low=0,
        high=1000,
        integer=True,
        unit="periods",
        description="periods of talks needed before a deal can be signed",
        label="Periods of talks before a deal",
    )
    west_discount_factor: float = parameter(
        0.95,
        low=0,
        high=1,
        high_open=True,
        unit="per period",
        description="weight the Western governments put on next period's payoff",
        label="Western patience (discount factor)",
        display_unit="",
    )
    terminal_value: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.terminal_value, bool):
            raise ParameterError(
                "dynamics.terminal_value",
                self.terminal_value,
                "dynamics.terminal_value must be true or false",
            )
        validate(self, "dynamics")

    @property
    def initial_position(self) -> int:
        """The starting front position, an interior point of ``1..N-1``."""
        return rules.interior_front(self.initial_front, self.front_positions)


# ---------------------------------------------------------------------------- profiles
@dataclass(frozen=True)
class StrategyProfile:
    """One strategy for each actor (``docs/dynamics.md``, "Strategies").

    ``russia`` is played by both Russian types unless ``sincere_russia`` names a different
    strategy for the sincere type.

    Attributes
    ----------
    russia : str
        Russia's strategy, one of :data:`RUSSIA_STRATEGIES` (``genuine_compromise``,
        ``buy_time``, ``fight_on``); default ``buy_time``.
    west : str
        The West's strategy, one of :data:`WEST_STRATEGIES` (``sceptical``, ``reciprocate``,
        ``hold``, ``best_response``); default ``sceptical``.
    ukraine : str
        Ukraine's strategy, one of :data:`UKRAINE_STRATEGIES` (``accept_if_guaranteed``,
        ``talk_while_fighting``, ``reject``); default ``talk_while_fighting``.
    sincere_russia : str or None
        The sincere type's strategy, one of :data:`RUSSIA_STRATEGIES`; ``None`` (the default):
        the same as ``russia``.

    Raises
    ------
    ValueError
        If a strategy is not one of its actor's.

    Examples
    --------
    >>> StrategyProfile("buy_time", "sceptical", "talk_while_fighting").russia
    'buy_time'
    >>> StrategyProfile("stall")
    Traceback (most recent call last):
    ...
    ValueError: russia strategy 'stall' is not known; choose one of ...
    """

    russia: str = "buy_time"
    west: str = "sceptical"
    ukraine: str = "talk_while_fighting"
    sincere_russia: str | None = None

    def __post_init__(self) -> None:
        _choice("russia", self.russia, RUSSIA_STRATEGIES)
        _choice("west", self.west, WEST_STRATEGIES)
        _choice("ukraine", self.ukraine, UKRAINE_STRATEGIES)
        if self.sincere_russia is not None:
            _choice("sincere_russia", self.sincere_russia, RUSSIA_STRATEGIES)

    @property
    def russia_by_type(self) -> tuple[str, str]:
        """(strategy of the sincere type, strategy of the staller)."""
        return (self.sincere_russia or self.russia, self.russia)


def _choice(role: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{role} strategy {value!r} is not known; choose one of {list(allowed)}")


#: The profiles compared by the scenario sketch, plus the war baseline.
PROFILES: dict[str, StrategyProfile] = {
    "buy_time": StrategyProfile("buy_time", "sceptical", "talk_while_fighting"),
    "genuine_compromise": StrategyProfile(
        "genuine_compromise", "reciprocate", "accept_if_guaranteed"
    ),
    "fight_on": StrategyProfile("fight_on", "hold", "reject"),
}


def _as_profile(profile: StrategyProfile | str | Mapping[str, str]) -> StrategyProfile:
    if isinstance(profile, StrategyProfile):
        return profile
    if isinstance(profile, str):
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; choose one of {list(PROFILES)}")
        return PROFILES[profile]
    if isinstance(profile, Mapping):
        return StrategyProfile(**dict(profile))
    raise TypeError(f"profile must be a StrategyProfile, a name or a mapping; got {profile!r}")
