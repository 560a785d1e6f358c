"""Readers and writers for Gambit's game file formats (``.nfg`` and ``.efg``)."""

from simulator.io._text import GameFileError

__all__ = ["GameFileError"]
