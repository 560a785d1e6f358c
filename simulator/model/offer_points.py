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
    """The menu of offers Russia chooses from, checked: one offer or several.

    Parameters
    ----------
    offers : Offer or sequence of Offer
        A fixed offer, or a menu of offers with distinct names.

    Returns
    -------
    tuple of Offer
        The offers in the order given (one element for a single offer).

    Raises
    ------
    TypeError
        If ``offers`` is neither an :class:`Offer` nor a non-empty sequence of them.
    ValueError
        If two offers of the menu share a name.

    Examples
    --------
    >>> [o.name for o in offer_list(Offer())]
    ['offer']
    >>> offer_list([Offer(), Offer()])
    Traceback (most recent call last):
    ...
    ValueError: the offers of a menu need distinct names; got ['offer', 'offer']
    """
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
    """Every number the game reads, as flat arrays over the points, and the points' shape.

    Parameters
    ----------
    model : NegotiationModel
        The base point: every number the game reads that ``changes`` does not set.
    offers : tuple of Offer
        The menu (:func:`offer_list`); one offer when the offer is fixed.
    changes : mapping of str to array_like, or None
        ``{dotted name: values}`` for the numbers that vary: a model parameter the game reads
        (``"russia.prior_sincere"``) or an offer's field (``"offer.<field>"``; with a menu
        ``"offers.<name>.<field>"``; inducements as ``"offer.inducement.<government>"``).
        Every value is checked against the parameter's range; the arrays broadcast together.
        ``None`` or empty: the single point ``model``.

    Returns
    -------
    values : dict of str to numpy.ndarray
        Every model parameter the game reads, by dotted name, as a float array of shape
        ``(N,)`` over the ``N`` points (flattened in C order).
    offer_values : list of dict of str to numpy.ndarray
        For each offer of the menu, its fields and ``inducement.<government>`` (one per Western
        government of the model), each of shape ``(N,)``.
    shape : tuple of int
        The broadcast shape of ``changes`` (``()`` for a single point); ``N`` is its product.

    Raises
    ------
    TypeError
        If ``model`` is not a :class:`NegotiationModel`.
    KeyError
        If a name of ``changes`` is not a parameter at all (the message suggests a close one).
    ValueError
        If a name is a parameter the offer game does not read, the arrays do not broadcast
        together, or an offer has inducements for governments that are not in the model.
    ParameterError
        If a value is outside its parameter's range (a :class:`ValueError`).

    Examples
    --------
    >>> from simulator.model import NegotiationModel
    >>> values, offer_values, shape = points(
    ...     NegotiationModel(), (Offer(),), {"offer.territory": [0.0, 0.1, 0.2]})
    >>> shape, values["russia.prior_sincere"].tolist()
    ((3,), [0.5, 0.5, 0.5])
    >>> offer_values[0]["territory"].tolist()
    [0.0, 0.1, 0.2]
    >>> points(NegotiationModel(), (Offer(),), {"russia.war_costs": 0.2})
    Traceback (most recent call last):
    ...
    KeyError: "unknown parameter 'russia.war_costs'; did you mean 'russia.war_cost'?"
    """
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
