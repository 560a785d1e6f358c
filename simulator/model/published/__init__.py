"""The published models the negotiation engine rests on, each citing its source.

Textbook results, each in its own module and each reproducing its source's worked numbers in
the tests: ``bargaining`` (Fearon 1995), ``commitment`` (Powell 2006), ``alternating_offers``
(Rubinstein 1982; Nash 1950), ``cheap_talk`` (Crawford & Sobel 1982), ``costly_signalling``
(Fearon 1997; Kydd 2005), ``sanctions`` (Tsebelis 1990), ``coalition`` (Olson & Zeckhauser
1966; Hirshleifer 1983; Granovetter 1978), ``leader_survival`` (Goemans 2000; Downs & Rocke
1994), ``attrition`` (Hendricks, Weiss & Wilson 1988) and ``expected_utility`` (Bueno de
Mesquita; Scholz et al. 2011). Import them directly, e.g.
``from simulator.model.published import bargaining``.

They are kept apart from the Russia-Ukraine-West engine (the rest of :mod:`simulator.model`):
the engine's games are built on :mod:`simulator.model.rules`, and these modules are the
published benchmarks that its special cases must reproduce.
"""
