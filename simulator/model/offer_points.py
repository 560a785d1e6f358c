"""Parameter points of the offer game: which numbers it reads, checked and broadcast.

A model and an offer (or a menu) give one point; ``changes`` (dotted names to arrays) give many.
Names are those of :meth:`simulator.model.NegotiationModel.params` and ``offer.<field>``
(``offers.<name>.<field>`` with a menu; ``offer.inducement.<government>`` for inducements). Only
the numbers the game's payoffs actually read are accepted (recorded while building its tables),
so a sweep of anything else is reported as not read rather than silently doing nothing.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from simulator.model.actors import WesternGovernment
from simulator.model.negotiation import NegotiationModel
from simulator.model.offer_tables import tables
from simulator.model.offers import INDUCEMENT, Offer
from simulator.model.parameters import ParameterSpec, check_range, parameter_specs

__all__ = ["offer_list", "points"]


def offer_list(offers: Offer | Sequence[Offer]) -> tuple[Offer, ...]:
    menu = (offers,) if isinstance(offers, Offer) else tuple(offers)
    if not menu or not all(isinstance(o, Offer) for o in menu):
        raise TypeError("offers must be an Offer or a non-empty sequence of Offers")
    names = [o.name for o in menu]
    if len(set(names)) != len(names):
        raise ValueError(f"the offers of a menu need distinct names; got {names}")
    return menu


class _Recorder(dict):
    """A mapping that remembers which keys were read."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)


@functools.lru_cache(maxsize=64)
def _read_names(governments: tuple[str, ...], aggregation: str) -> frozenset[str]:
    """The model parameters the game reads: recorded while building its tables once."""
    model = NegotiationModel()
    model = dataclasses.replace(
        model,
        west=dataclasses.replace(
            model.west,
            governments=tuple(WesternGovernment(g) for g in governments),
            aggregation=aggregation,
        ),
    )
    values = _Recorder({k: np.array([v]) for k, v in _all_numeric(model).items()})
    offer = Offer(withdrawal_cost=0.1)
    fields = {k: np.array([v]) for k, v in _offer_fields(offer, governments).items()}
    tables(values, governments, aggregation, (offer,), [fields])
    return frozenset(values.read)


def _all_numeric(model: NegotiationModel) -> dict[str, float]:
    return {
        name: float(value)
        for name, value, spec in model.describe()
        if spec is not None and not isinstance(value, bool) and isinstance(value, (int, float))
    }


def _numeric_params(model: NegotiationModel) -> dict[str, float]:
    """The numbers of the model that the game reads, by dotted name."""
    names = tuple(g.name for g in model.west.governments)
    read = _read_names(names, model.west.aggregation)
    return {k: v for k, v in _all_numeric(model).items() if k in read}


def _offer_fields(offer: Offer, names: Sequence[str]) -> dict[str, float]:
    fields = {s.name: float(getattr(offer, s.name)) for s in parameter_specs(Offer)}
    unknown = sorted(set(offer.inducement_map) - set(names))
    if unknown:
        raise ValueError(
            f"offer {offer.name!r} has inducements for {unknown}, which are not Western "
            f"governments of the model ({list(names)})"
        )
    for government in names:
        fields[f"inducement.{government}"] = float(offer.inducement_map.get(government, 0.0))
    return fields


def _specs(model: NegotiationModel) -> dict[str, ParameterSpec]:
    specs = {name: spec for name, _v, spec in model.describe() if spec is not None}
    for spec in parameter_specs(Offer):
        specs[f"offer.{spec.name}"] = spec
    return specs


def points(
    model: NegotiationModel, offers: tuple[Offer, ...], changes: Mapping[str, Any] | None
) -> tuple[dict[str, np.ndarray], list[dict[str, np.ndarray]], tuple[int, ...]]:
    """Every number the game reads, as flat arrays over the points, and the points' shape."""
    if not isinstance(model, NegotiationModel):
        raise TypeError(f"model must be a NegotiationModel, got {type(model).__name__}")
    names = [g.name for g in model.west.governments]
    base = _numeric_params(model)
    offer_base = [_offer_fields(o, names) for o in offers]
    specs = _specs(model)
    # every readable name -> the spec that checks it
    readable: dict[str, ParameterSpec] = {name: specs[name] for name in base}
    offer_specs = {spec.name: spec for spec in parameter_specs(Offer)}
    for o, ob in zip(offers, offer_base):
        prefix = "offer." if len(offers) == 1 else f"offers.{o.name}."
        for field in ob:
            readable[prefix + field] = offer_specs.get(field, INDUCEMENT)
    arrays: dict[str, np.ndarray] = {}
    for name, raw in (changes or {}).items():
        if name not in readable:
            if name in specs:
                hint = ""
                if name.startswith("offer.") and len(offers) > 1:
                    field = name[len("offer.") :]
                    hint = f"; with a menu, name the offer: 'offers.{offers[0].name}.{field}'"
                raise ValueError(f"{name!r} is not a number the offer game reads{hint}")
            close = difflib.get_close_matches(name, sorted(readable), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise KeyError(f"unknown parameter {name!r}{hint}")
        spec = readable[name]
        arrays[name] = check_range(
            name,
            raw,
            spec.low,
            spec.high,
            low_open=spec.low_open,
            high_open=spec.high_open,
            what=f"{spec.description}; {spec.unit}",
        )
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
    except ValueError:
        shapes = {k: a.shape for k, a in arrays.items()}
        raise ValueError(f"the changes must broadcast to one shape; got shapes {shapes}") from None
    size = int(np.prod(shape)) if shape else 1

    def flat(value: Any) -> np.ndarray:
        return np.broadcast_to(np.asarray(value, dtype=float), shape).reshape(size).copy()

    v = {name: flat(arrays.get(name, value)) for name, value in base.items()}
    offer_values = []
    for o, ob in zip(offers, offer_base):
        values = {}
        for k, value in ob.items():
            key = f"offers.{o.name}.{k}" if len(offers) > 1 else f"offer.{k}"
            values[k] = flat(arrays.get(key, value))
        offer_values.append(values)
    return v, offer_values, shape
