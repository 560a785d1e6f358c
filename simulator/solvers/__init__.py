"""Equilibrium algorithms, one per module, and their certificates."""
