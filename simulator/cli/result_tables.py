"""The terminal tables of a scenario's results: analyses, compared strategies, the equilibrium.

Part of :mod:`simulator.cli`. :func:`_print_results` prints what ``simulator run`` found
(with :func:`_print_comparison` and :func:`_print_equilibrium` for each comparison), in
plain words; :func:`_num` and :func:`_console` are shared with ``simulator compare``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


def _share(p: float) -> str:
    """A share of points or draws in whole percent; a share that rounds to 0% or 100% without
    being it says so ("<1%", ">99%"), so a regime that occurs is never shown as 0%."""
    text = f"{p:.0%}"
    if text == "0%" and p > 0:
        return "<1%"
    if text == "100%" and p < 1:
        return ">99%"
    return text


def _num(value: Any, digits: int = 3) -> str:
    import math

    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:.{digits}g}"
    return str(value)


def _words(name: str) -> str:
    """A strategy's code name in words (``talk_while_fighting`` -> ``talk while fighting``)."""
    return name.replace("_", " ")


def _print_results(results: Any, verbose: bool) -> None:
    from rich.table import Table

    from simulator.analysis.labels import plain_label

    console = _console()
    head = f"[bold]{results.title}[/bold]  (seed {results.seed}"
    head += ", fast mode)" if results.fast else ")"
    console.print(head)
    for note in results.notes:
        if note.startswith("fast mode"):  # say which numbers fast mode changed
            console.print(f"[yellow]{note}[/yellow]")
    if results.solutions:
        table = Table(
            title="Offer game: selected perfect Bayesian equilibrium",
            caption="settled: a deal is signed and kept; broken: signed, then broken; war: no "
            "deal (probabilities); regret: the largest gain from deviating",
        )
        table.add_column("")
        for s in results.solutions:
            table.add_column(plain_label(s.offer))
        behaviour = [s.behaviour() for s in results.solutions]
        rows: list[tuple[str, list[str]]] = [("equilibrium", [s.regime for s in results.solutions])]
        rows += [(actor, [b.get(actor, "") for b in behaviour]) for actor in behaviour[0]]
        rows += [
            ("settled", [_num(s.settlement_probability) for s in results.solutions]),
            ("broken", [_num(s.renewed_war_probability) for s in results.solutions]),
            ("war", [_num(s.war_probability) for s in results.solutions]),
            ("regret", [f"{s.certificate.regret:.1e}" for s in results.solutions]),
        ]
        for label, cells in rows:
            table.add_row(label, *cells)
        console.print(table)
    for c in results.comparisons:
        _print_comparison(console, c)
    for k, s in enumerate(results.sweeps, 1):
        axes = " x ".join(f"{plain_label(a.parameter)} ({len(a.values)} values)" for a in s.axes)
        if s.is_bargaining:
            share = float(s.columns["nonempty"].astype(bool).mean())
            text = f"a settlement both sides prefer to war at {_share(share)} of the points"
        else:
            text = "; ".join(f"{r} {_share(p)}" for r, p in s.regimes().items())
        console.print(f"sweep {k}: {axes}: {text}")
    for k, mc in enumerate(results.monte_carlo, 1):
        text = "; ".join(f"{r} {_share(p)}" for r, p in mc.regimes().items())
        console.print(f"Monte Carlo {k} ({mc.runs} draws): {text}")
    if verbose:
        for note in results.notes:
            console.print(f"note: {note}")
        for a in results.analyses:
            for note in getattr(a, "notes", ()):
                console.print(f"note: {note}")


def _print_comparison(console: Any, c: Any) -> None:
    from rich.table import Table

    from simulator.analysis.labels import plain_label

    eq = c.equilibrium
    if eq is not None:
        _print_equilibrium(console, eq)
    table = Table(
        title=f"What-if rules (fixed strategies, not equilibria): offer {plain_label(c.offer)}, "
        f"{c.periods} periods, {c.runs} runs",
        caption="Payoffs: expected discounted sums over the periods (the offer game's are "
        "shares of the stake); settled, broken, war: shares of runs",
    )
    table.add_column("")
    for s in c.strategies:
        table.add_column(_words(s.name), justify="right")

    def russia(p: dict[str, str]) -> str:
        if p["sincere_russia"] == p["russia"]:
            return _words(p["russia"])
        return f"sincere {_words(p['sincere_russia'])},\nstaller {_words(p['russia'])}"

    def when(s: Any) -> str:
        return (
            "-" if s.settlement_probability == 0 else f"period {_num(s.mean_settlement_period, 2)}"
        )

    def cohesion(s: Any) -> str:
        low, high = s.final_cohesion_bands[0], s.final_cohesion_bands[-1]
        return f"{_num(s.final_cohesion)} ({_num(low, 2)}-{_num(high, 2)})"

    rows: list[tuple[str, Callable[[Any], str]]] = [
        ("Russia", lambda s: russia(s.profile)),
        ("West", lambda s: _words(s.profile["west"])),
        ("Ukraine", lambda s: _words(s.profile["ukraine"])),
        ("payoff Russia", lambda s: _num(s.expected_payoffs["russia"]["all"])),
        ("payoff Ukraine", lambda s: _num(s.expected_payoffs["ukraine"]["all"])),
        ("payoff West", lambda s: _num(s.expected_payoffs["west"]["all"])),
        ("settled", lambda s: _num(s.settled)),
        ("broken", lambda s: _num(s.broken)),
        ("war", lambda s: _num(s.war)),
        ("signed, on average, in", when),
        ("final Western cohesion (5-95%)", cohesion),
        ("final Russian capability", lambda s: _num(s.final_capability)),
    ]
    for label, cell in rows:
        table.add_row(label, *[cell(s) for s in c.strategies])
    console.print(table)


def _print_equilibrium(console: Any, eq: Any) -> None:
    """The buy-time game's equilibrium: values by plan and outcomes by Russian type."""
    from rich.table import Table

    from simulator.analysis.labels import plain_label

    table = Table(
        title=f"Buy-time equilibrium: offer {plain_label(eq.offer)}, {eq.periods} periods, "
        f"{eq.runs} runs "
        "per type",
        caption="Russia's value of equilibrium play, genuine compromise and buying time; "
        "outcome shares of equilibrium play",
    )
    table.add_column("Russia")  # the type wraps ("staller / strong"); numbers never do
    for head in ("prior", "equil.", "compr.", "buy time", "settled", "broken", "war"):
        table.add_column(head, justify="right", no_wrap=True)
    outcomes = eq.outcomes()
    for t in eq.values["equilibrium"]:
        table.add_row(
            t,
            _num(eq.prior[t]),
            *[_num(eq.values[plan][t]) for plan in ("equilibrium", "compromise", "buy_time")],
            *[_num(outcomes[t][k]) for k in ("settled", "broken", "war")],
        )
    console.print(table)
    cert, path = eq.certificate, eq.path_certificate
    console.print(
        f"Does buying time pay? {eq.verdict()} Certificate {cert.regret:.1e} (tolerance "
        f"{cert.tolerance:.1e}): "
        f"{'certified' if cert.certified else 'NOT certified'}"
        + (
            ""
            if cert.certified
            else f" ({eq.unresolved_text()}; at the states equilibrium play passes the largest "
            f"gain is {path.regret:.1e})"
        )
        + "."
    )
    console.print(f"First period: {eq.first_period_text()}")
