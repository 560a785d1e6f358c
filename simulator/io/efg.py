"""Read and write Gambit's extensive-form ``.efg`` files.

The format is described in the Gambit manual, "Game representation formats"
(The Gambit Project; McKelvey, McLennan and Turocy, *Gambit: Software Tools for
Game Theory*). A file is a prologue followed by the nodes of the tree in
pre-order (a node, then the subtrees of its children from first to last)::

    EFG 2 R "title" { "Player 1" "Player 2" }
    "optional comment"
    c "node" 1 "event" { "H" 1/2 "T" 1/2 } 0
    p "node" 1 1 "infoset" { "L" "R" } 0
    t "node" 1 "outcome" { 3, -1 }
    ...

* ``c`` chance node: name, event number, then (optional) event name and
  ``{ "action" probability ... }``, outcome number, (optional) outcome.
* ``p`` decision node: name, player number (1-based), information set number
  (unique within the player), (optional) information set name and
  ``{ "action" ... }``, outcome number, (optional) outcome.
* ``t`` terminal node: name, outcome number, (optional) outcome.

An outcome is a name and one payoff per player, ``{ 3, -1 }`` (spaces or single
commas between the payoffs);
outcome ``0`` is the null outcome and has no description. The description of an
information set, event or outcome is given where its number first appears; later
appearances may omit it whole or repeat it exactly. Outcomes at inner nodes add
to the payoffs of every play through them. Numbers may be integers, decimals or
rationals such as ``1/3``; ``R`` and ``D`` in the header are accepted alike.
This module is an independent implementation written from that description.

Reading (:func:`parse_efg`, :func:`read_efg` and :class:`EfgFormatError`) is done by
:mod:`simulator.io.efg_read`, writing (:func:`format_efg`, :func:`write_efg`) by
:mod:`simulator.io.efg_write`; this module is the public entry point and re-exports them.
"""

from __future__ import annotations

from simulator.io.efg_read import EfgFormatError, parse_efg, read_efg
from simulator.io.efg_write import format_efg, write_efg

__all__ = ["EfgFormatError", "parse_efg", "read_efg", "format_efg", "write_efg"]
