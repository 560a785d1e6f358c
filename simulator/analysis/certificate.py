"""The certificate every reported equilibrium carries."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from simulator.analysis.records import CertificateRecord, dump_record
from simulator.analysis.tables import jsonable

__all__ = ["Certificate"]


@dataclass(frozen=True)
class Certificate:
    """Evidence that an answer is an equilibrium: no player gains more than ``tolerance``.

    Attributes
    ----------
    regret : float
        The largest gain any player gets from a deviation (``nan``: no equilibrium found).
    tolerance : float
        The largest regret accepted.
    method : str
        How the equilibrium was found and the regret computed.

    Examples
    --------
    >>> c = Certificate(1e-12, 1e-8, "support enumeration")
    >>> c.certified, c.as_dict()["certified"]
    (True, True)
    >>> Certificate(float("nan"), 1e-8, "none").certified
    False
    """

    regret: float
    tolerance: float
    method: str

    @property
    def certified(self) -> bool:
        """Whether the regret is known and within the tolerance."""
        return bool(math.isfinite(self.regret) and self.regret <= self.tolerance)

    def record(self) -> CertificateRecord:
        """The certificate as its ``results.json`` record (``nan`` regret: ``None``).

        Returns
        -------
        CertificateRecord
            ``regret``, ``tolerance``, ``method`` and ``certified``.
        """
        return CertificateRecord(
            regret=jsonable(self.regret),
            tolerance=jsonable(self.tolerance),
            method=self.method,
            certified=self.certified,
        )

    def as_dict(self) -> dict[str, Any]:
        """``regret``, ``tolerance``, ``method`` and ``certified``: :meth:`record`, JSON-ready.

        Returns
        -------
        dict of str to Any
            The record's data (:func:`~simulator.analysis.records.dump_record`).
        """
        return dump_record(self.record())
