"""Offers as bundles over the issue space.

An offer is data: "neutrality in exchange for security guarantees" and its variants
differ only in the values below, so a scenario file can state any of them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from simulator.model.parameters import (
    ParameterError,
    ParameterSpec,
    html_rows,
    parameter,
    parameter_specs,
    validate,
)

__all__ = ["Offer", "ALIGNMENT_PRESETS", "INDUCEMENT"]

#: The range and meaning of one inducement (the wedge): checked here, by the batch solver and by
#: the scenario schema.
INDUCEMENT = ParameterSpec(
    name="inducement",
    description="share of the stake Russia pays a Western government if it eases (the wedge)",
    label="Inducement to a Western government",
    unit="share of the stake (the whole issue = 1)",
    low=0.0,
    high=10.0,
    default=0.0,
)

#: Ukraine's Western alignment ``x`` for the named arrangements (``docs/offer_game.md``).
ALIGNMENT_PRESETS: dict[str, float] = {
    "russian_sphere": 0.0,
    "neutrality": 0.3,
    "neutrality_with_eu": 0.6,
    "nato_membership": 1.0,
}


@dataclass(frozen=True)
class Offer:
    """A proposed settlement.

    Attributes
    ----------
    name : str
        The offer's name (used in error messages and reports); default ``"offer"``.
    alignment : float
        Ukraine's Western alignment under the deal (x). In ``[0, 1]``, alignment (0 = Russia's
        sphere, 1 = fully Western); default 0.6. :data:`ALIGNMENT_PRESETS` names some values.
    security_guarantees : float
        Strength of the Western security guarantees for Ukraine. In ``[0, 1]``, strength G
        (share of a future power shift neutralised); default 0.0.
    territory : float
        Share of the contested territory that Russia keeps. In ``[0, 1]``, share of the
        contested territory; default 0.0.
    sanctions_relief : float
        Share of Western sanctions lifted under the deal. In ``[0, 1]``, share of sanctions
        lifted; default 0.0.
    withdrawal_cost : float
        Cost to Russia of a verifiable withdrawal that accompanies the offer (0 = costless
        talk). In ``[0, 10]``, share of the stake; default 0.0.
    eu_membership : bool
        Whether the deal lets Ukraine join the EU; default True.
    nato_membership : bool
        Whether the deal lets Ukraine join NATO; default False.
    foreign_bases : bool
        Whether the deal allows foreign bases in Ukraine; default False.
    inducements : tuple of (str, float)
        Inducements aimed at particular Western governments (the wedge), paid by Russia to a
        government that eases: sorted ``(government, amount)`` pairs, each amount in ``[0, 10]``,
        share of the stake. A mapping ``{government: amount}`` is accepted and stored as pairs;
        read them with :attr:`inducement_map`. Default: none.

    Raises
    ------
    ParameterError
        If a value is outside its range or of the wrong type, a flag is not a bool, or the
        inducements do not map government names to amounts (the message names the field as
        ``offers.<name>.<field>``).

    Examples
    --------
    >>> offer = Offer.neutrality_for_guarantees()
    >>> offer.alignment, offer.security_guarantees, offer.nato_membership
    (0.6, 0.7, False)
    >>> offer.with_values(security_guarantees=0.2).security_guarantees
    0.2
    """

    name: str = "offer"
    alignment: float = parameter(
        0.6,
        low=0,
        high=1,
        unit="alignment (0 = Russia's sphere, 1 = fully Western)",
        description="Ukraine's Western alignment under the deal (x)",
        label="Ukraine's Western alignment under the offer",
    )
    security_guarantees: float = parameter(
        0.0,
        low=0,
        high=1,
        unit="strength G (share of a future power shift neutralised)",
        description="strength of the Western security guarantees for Ukraine",
        label="Strength of security guarantees",
        display_unit="share of a power shift neutralised",
    )
    territory: float = parameter(
        0.0,
        low=0,
        high=1,
        unit="share of the contested territory",
        description="share of the contested territory that Russia keeps",
        label="Share of contested territory Russia keeps",
    )
    sanctions_relief: float = parameter(
        0.0,
        low=0,
        high=1,
        unit="share of sanctions lifted",
        description="share of Western sanctions lifted under the deal",
        label="Share of sanctions lifted",
    )
    withdrawal_cost: float = parameter(
        0.0,
        low=0,
        high=10,
        unit="share of the stake",
        description="cost to Russia of a verifiable withdrawal that accompanies the offer "
        "(0 = costless talk)",
        label="Cost of a verified Russian withdrawal",
    )
    eu_membership: bool = True
    nato_membership: bool = False
    foreign_bases: bool = False
    #: Inducements aimed at particular Western governments (the wedge): ``{government:
    #: amount}``, paid by Russia to a government that eases (a cost to Russia, a gain to it),
    #: in shares of the stake. Stored as sorted ``(name, amount)`` pairs; read with
    #: :attr:`inducement_map`.
    inducements: tuple[tuple[str, float], ...] = ()

    def __post_init__(self) -> None:
        raw = self.inducements
        pairs = raw.items() if isinstance(raw, Mapping) else raw
        try:
            cleaned = tuple(sorted((str(k), v) for k, v in pairs))
        except (TypeError, ValueError):
            raise ParameterError(
                f"offers.{self.name}.inducements",
                raw,
                f"offers.{self.name}.inducements must map government names to amounts",
            ) from None
        for name, amount in cleaned:
            INDUCEMENT.check(amount, f"offers.{self.name}.inducements.{name}")
        object.__setattr__(self, "inducements", tuple((k, float(v)) for k, v in cleaned))
        for flag in ("eu_membership", "nato_membership", "foreign_bases"):
            if not isinstance(getattr(self, flag), bool):
                raise ParameterError(
                    f"offers.{self.name}.{flag}",
                    getattr(self, flag),
                    f"offers.{self.name}.{flag} must be true or false",
                )
        validate(self, f"offers.{self.name}")

    @property
    def inducement_map(self) -> dict[str, float]:
        """The inducements as ``{government: amount}``."""
        return dict(self.inducements)

    @property
    def verifiable_withdrawal(self) -> bool:
        """Whether the offer comes with a costly, verifiable step."""
        return self.withdrawal_cost > 0

    def _repr_html_(self) -> str:
        specs = {spec.name: spec for spec in parameter_specs(Offer)}
        rows = [
            (name, getattr(self, name), specs[name].unit if name in specs else "")
            for name in (f.name for f in dataclasses.fields(self))
            if name not in ("name", "inducements")
        ]
        rows += [(f"inducement to {g}", a, INDUCEMENT.unit) for g, a in self.inducements]
        return html_rows(("term", "value", "unit"), rows, f"Offer {self.name}")

    def with_values(self, **changes: Any) -> Offer:
        """A copy with some values changed (validated); ``inducement.<government>`` sets one
        inducement.

        Parameters
        ----------
        **changes : Any
            New values by field name (``alignment=0.3``), or ``inducement.<government>`` (passed
            with ``**{...}``) for one inducement; the other inducements are kept.

        Returns
        -------
        Offer
            The changed copy.

        Raises
        ------
        ParameterError
            If a new value is outside its range or of the wrong type.
        TypeError
            If a name is not a field of :class:`Offer`.

        Examples
        --------
        >>> Offer().with_values(**{"inducement.Hungary": 0.1}).inducement_map
        {'Hungary': 0.1}
        """
        inducements = dict(self.inducements)
        for key in [k for k in changes if k.startswith("inducement.")]:
            inducements[key[len("inducement.") :]] = changes.pop(key)
        if inducements != dict(self.inducements):
            changes["inducements"] = inducements
        return replace(self, **changes)

    @classmethod
    def neutrality_for_guarantees(cls, security_guarantees: float = 0.7) -> Offer:
        """The spring-2022 offer: EU membership and guarantees, no NATO, no foreign bases."""
        return cls(
            name="neutrality_for_guarantees",
            alignment=ALIGNMENT_PRESETS["neutrality_with_eu"],
            security_guarantees=security_guarantees,
        )

    @classmethod
    def strict_neutrality(cls) -> Offer:
        """Neutrality without EU membership or guarantees."""
        return cls(
            name="strict_neutrality", alignment=ALIGNMENT_PRESETS["neutrality"], eu_membership=False
        )
