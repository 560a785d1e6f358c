"""Parameter sites: where each parameter of the model, the settings and the offers is written.

Part of :mod:`simulator.scenario.loader`. A site pairs a dotted parameter name
(``russia.war_cost``, ``west.governments.<name>.weight``, ``offers.<offer>.alignment``) with
its :class:`~simulator.model.parameters.ParameterSpec` and the path in the document where it is
(or would be) written; the loader substitutes formulas and presets at these paths and reports
problems there. With the small helpers that read and write a document by path.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from simulator.model.buy_time_setup import BuyTimeSettings
from simulator.model.dynamics import DynamicsSettings
from simulator.model.negotiation import NegotiationModel
from simulator.model.offers import INDUCEMENT, Offer
from simulator.model.parameters import ParameterSpec
from simulator.scenario.schema import IDENTIFIER_PATTERN, field_kinds
from simulator.scenario.source import DocPath

_IDENT = re.compile(IDENTIFIER_PATTERN)


# ---------------------------------------------------------------------- parameter sites
@dataclass(frozen=True)
class _Site:
    """A parameter of the model or an offer: its dotted name, spec and document path."""

    name: str
    spec: ParameterSpec
    path: DocPath  # where it is (or would be) written
    present: bool


def _walk_sites(cls: type, data: Any, path: DocPath, prefix: str, out: list[_Site]) -> None:
    data = data if isinstance(data, dict) else None
    for f in field_kinds(cls):
        if f.kind == "parameter":
            present = data is not None and f.name in data
            out.append(_Site(prefix + f.name, f.spec, (*path, f.name), present))  # type: ignore[arg-type]
        elif f.kind == "section":
            sub = data.get(f.name) if data is not None else None
            _walk_sites(f.cls, sub, (*path, f.name), f"{prefix}{f.name}.", out)  # type: ignore[arg-type]
        elif f.kind == "amounts":  # inducements: one parameter per government named
            amounts = data.get(f.name) if data is not None else None
            for key in amounts if isinstance(amounts, dict) else ():
                if isinstance(key, str):
                    site = _Site(
                        f"{prefix}inducement.{key}", INDUCEMENT, (*path, f.name, key), True
                    )
                    out.append(site)
        elif f.kind == "list":
            items = data.get(f.name) if data is not None else None
            if isinstance(items, list) and items:
                for i, item in enumerate(items):
                    if isinstance(item, dict) and isinstance(item.get("name"), str):
                        _walk_sites(
                            f.cls,
                            item,
                            (*path, f.name, i),  # type: ignore[arg-type]
                            f"{prefix}{f.name}.{item['name']}.",
                            out,
                        )
            else:
                for item in f.default:
                    _walk_sites(
                        f.cls,
                        None,
                        (*path, f.name),  # type: ignore[arg-type]
                        f"{prefix}{f.name}.{item.name}.",
                        out,
                    )


def _sites(doc: dict[str, Any]) -> list[_Site]:
    out: list[_Site] = []
    _walk_sites(NegotiationModel, doc.get("actors"), ("actors",), "", out)
    _walk_sites(DynamicsSettings, doc.get("dynamics"), ("dynamics",), "dynamics.", out)
    _walk_sites(BuyTimeSettings, doc.get("buy_time"), ("buy_time",), "buy_time.", out)
    offers = doc.get("offers")
    if isinstance(offers, dict):
        for name, body in offers.items():
            if _IDENT.match(name):
                _walk_sites(Offer, body, ("offers", name), f"offers.{name}.", out)
    return out


def _get(doc: Any, path: DocPath) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _set(doc: Any, path: DocPath, value: Any) -> None:
    _get(doc, path[:-1])[path[-1]] = value


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False
