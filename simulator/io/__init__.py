"""Readers and writers for Gambit's game file formats."""
