"""The negotiation model: the actors, the contest function and their parameters in one object."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from simulator.model.actors import Russia, Ukraine, West, WesternGovernment
from simulator.model.parameters import (
    ParameterError,
    ParameterSpec,
    html_rows,
    parameter,
    validate,
)
from simulator.model.rules import contest

__all__ = ["NegotiationModel", "win_probability"]


def win_probability(capability_a: float, capability_b: float, exponent: float = 1.0) -> float:
    """Probability that side A prevails: the ratio-form contest success function.

    ``p = K_A^g / (K_A^g + K_B^g)`` (Tullock 1980; Skaperdas 1996, Economic Theory 7); a
    float-valued alias of :func:`simulator.model.rules.contest`.

    Parameters
    ----------
    capability_a, capability_b : float
        The two sides' military capabilities ``K_A, K_B`` (positive; not validated).
    exponent : float, optional
        The contest's decisiveness ``g`` (``g = 1``, the default: the ratio form).

    Returns
    -------
    float
        A's probability of prevailing, in ``[0, 1]``.

    Examples
    --------
    >>> win_probability(3.0, 1.0)
    0.75
    >>> win_probability(2.0, 1.0, exponent=2.0)
    0.8
    """
    return float(contest(capability_a, capability_b, exponent))


@dataclass(frozen=True)
class NegotiationModel:
    """Russia, Ukraine and the West with every payoff parameter, immutable.

    Change parameters with :meth:`with_params`, which returns a validated copy; list them
    with :attr:`params`.

    Attributes
    ----------
    russia : Russia
        Russia's parameters (its leader's among them); default ``Russia()``.
    ukraine : Ukraine
        Ukraine's parameters; default ``Ukraine()``.
    west : West
        The West: its governments and how their stances aggregate; default ``West()``.
    territory_weight : float
        Share of the stake that is territory (the line of control); the rest is Ukraine's
        alignment. In ``[0, 1]``, share of the stake; default 0.5.
    contest_exponent : float
        How decisively capability advantages translate into victory. In ``(0, 20]``,
        decisiveness g; default 1.0.

    Raises
    ------
    ParameterError
        If a parameter is outside its range or of the wrong type (the message names it as
        ``model.<field>``).

    Examples
    --------
    >>> model = NegotiationModel()
    >>> model.params["russia.great_power_status"]
    0.5
    >>> higher = model.with_params(russia__great_power_status=2.0)
    >>> higher.russia.great_power_status, model.russia.great_power_status
    (2.0, 0.5)
    >>> round(model.win_probability(), 3)
    0.5
    """

    russia: Russia = field(default_factory=Russia)
    ukraine: Ukraine = field(default_factory=Ukraine)
    west: West = field(default_factory=West)
    territory_weight: float = parameter(
        0.5,
        low=0,
        high=1,
        unit="share of the stake",
        description="share of the stake that is territory (the line of control); the rest is "
        "Ukraine's alignment",
        label="Share of the stake that is territory",
    )
    contest_exponent: float = parameter(
        1.0,
        low=0,
        high=20,
        low_open=True,
        unit="decisiveness g",
        description="how decisively capability advantages translate into victory",
        label="Decisiveness of military advantage",
        display_unit="contest exponent",
    )

    def __post_init__(self) -> None:
        validate(self, "model")

    # ------------------------------------------------------------------ derived quantities
    def win_probability(self) -> float:
        """Probability that Russia prevails in war, from capabilities."""
        return win_probability(
            self.russia.capability, self.ukraine.capability, self.contest_exponent
        )

    # ------------------------------------------------------------------ parameters
    @property
    def params(self) -> dict[str, Any]:
        """Every parameter by its dotted name, with its current value."""
        return {name: value for name, value, _spec in self.describe()}

    def changed(self) -> dict[str, Any]:
        """The parameters whose values differ from their defaults, by dotted name.

        Examples
        --------
        >>> NegotiationModel().with_params(russia__war_cost=0.3).changed()
        {'russia.war_cost': 0.3}
        """
        return {
            name: value
            for name, value, spec in self.describe()
            if spec is not None and value != spec.default
        }

    def __repr__(self) -> str:
        names = [g.name for g in self.west.governments]
        changed = self.changed()
        shown = ", ".join(f"{k}={v!r}" for k, v in list(changed.items())[:5])
        more = f" (+{len(changed) - 5} more)" if len(changed) > 5 else ""
        differ = f"; changed: {shown}{more}" if changed else "; all defaults"
        return (
            f"NegotiationModel(governments={names}, aggregation={self.west.aggregation!r}{differ})"
        )

    def _repr_html_(self) -> str:
        rows = [
            (
                name,
                value,
                "" if spec is None else spec.default,
                "" if spec is None else spec.unit,
                "changed" if spec is not None and value != spec.default else "",
            )
            for name, value, spec in self.describe()
        ]
        return html_rows(("parameter", "value", "default", "unit", ""), rows, "NegotiationModel")

    def describe(self) -> list[tuple[str, Any, ParameterSpec | None]]:
        """Every parameter as ``(dotted name, value, spec)``; specs carry units and ranges."""
        out: list[tuple[str, Any, ParameterSpec | None]] = []
        _walk(self, "", out)
        return out

    def with_params(
        self, changes: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> NegotiationModel:
        """A copy with parameters changed, by dotted name or ``__``-separated keyword.

        Examples
        --------
        >>> m = NegotiationModel().with_params({"west.western_cohesion": 0.4},
        ...                                    russia__leader__punishment=5)
        >>> m.west.western_cohesion, m.russia.leader.punishment
        (0.4, 5.0)
        >>> NegotiationModel().with_params(russia__great_power_statuss=1)
        Traceback (most recent call last):
        ...
        KeyError: "unknown parameter 'russia.great_power_statuss'; did you mean ...?"
        """
        updates = dict(changes or {})
        updates.update({key.replace("__", "."): value for key, value in kwargs.items()})
        model: Any = self
        for path, value in updates.items():
            model = _set_path(model, path.split("."), value, path)
        return model


def _walk(obj: Any, prefix: str, out: list) -> None:
    specs = {}
    if dataclasses.is_dataclass(obj):
        from simulator.model.parameters import parameter_specs

        specs = {s.name: s for s in parameter_specs(obj)}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            name = f"{prefix}{f.name}"
            if f.name == "name" and isinstance(obj, WesternGovernment):
                continue
            if dataclasses.is_dataclass(value):
                _walk(value, name + ".", out)
            elif (
                isinstance(value, tuple)
                and value
                and all(isinstance(v, WesternGovernment) for v in value)
            ):
                for government in value:
                    _walk(government, f"{name}.{government.name}.", out)
            else:
                out.append((name, value, specs.get(f.name)))


def _set_path(obj: Any, parts: list[str], value: Any, full: str) -> Any:
    head, rest = parts[0], parts[1:]
    if isinstance(obj, tuple):  # the governments of the West, addressed by name
        names = [g.name for g in obj]
        if head not in names:
            raise KeyError(f"unknown Western government {head!r} in {full!r}; there are {names}")
        return tuple(_set_path(g, rest, value, full) if g.name == head else g for g in obj)
    names = [f.name for f in dataclasses.fields(obj)]
    if head not in names or (not rest and dataclasses.is_dataclass(getattr(obj, head))):
        raise KeyError(_unknown(full, obj))
    if not rest:
        try:
            return replace(obj, **{head: value})
        except ParameterError:
            raise
    child = getattr(obj, head)
    if not (dataclasses.is_dataclass(child) or isinstance(child, tuple)):
        raise KeyError(_unknown(full, obj))
    return replace(obj, **{head: _set_path(child, rest, value, full)})


def _unknown(full: str, obj: Any) -> str:
    import difflib

    known = [name for name, _v, _s in NegotiationModel().describe()]
    close = difflib.get_close_matches(full, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else "; see NegotiationModel().params"
    return f"unknown parameter {full!r}{hint}"
