"""Chunked grids: sweeps and Monte Carlo draws solved in chunks, checkpointed and joined in order.

Part of :mod:`simulator.analysis.run`. :func:`game_chunk` (the offer game) and
:func:`bargaining_chunk` (the bargaining range) solve one chunk of points and are pure, so
that process executors and Dask workers can run them; :func:`_chunked` cuts a grid into
chunks of :func:`chunk_points` points, reuses those in the checkpoint store, sends the rest to
the executor and joins the results in chunk order; :func:`_key` names a grid's checkpoints
(library version, code, scenario, analysis, chunk size); :func:`_grid_certificate` sums up
the points' certificates.
"""

from __future__ import annotations

import concurrent.futures
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from simulator.analysis.certificate import Certificate
from simulator.analysis.checkpoint import checkpoint_key, code_hash
from simulator.analysis.run_options import _Context
from simulator.model.dynamics import contest
from simulator.model.offer_game import solve_offer_game_batch
from simulator.model.published.bargaining import status_settlements
from simulator.scenario import Scenario

__all__ = ["CHUNK_SIZE", "MAX_CHUNK_SIZE", "bargaining_chunk", "chunk_points", "game_chunk"]

#: small enough that an interrupted sweep of a few hundred points has finished chunks to resume
#: from. Larger grids get larger chunks (:func:`chunk_points`), up to :data:`MAX_CHUNK_SIZE`.
CHUNK_SIZE = 256
#: The largest automatic chunk: a million-point map is then about 120 chunks, enough to keep
#: every worker busy and to resume, while each chunk's solving outweighs sending it.
MAX_CHUNK_SIZE = 8192


def chunk_points(points: int) -> int:
    """The automatic chunk size for ``points`` points: about 1/64 of them, within bounds.

    It depends on the grid alone (not on the workers), so a resumed run finds its chunks.

    Parameters
    ----------
    points : int
        Points of the sweep or Monte Carlo analysis.

    Returns
    -------
    int
        Between :data:`CHUNK_SIZE` and :data:`MAX_CHUNK_SIZE`.

    Examples
    --------
    >>> chunk_points(861), chunk_points(100_000), chunk_points(1_000_000)
    (256, 1563, 8192)
    """
    return int(min(MAX_CHUNK_SIZE, max(CHUNK_SIZE, -(-points // 64))))


#: The parameters the bargaining range reads (as bargaining_range_from_model does).
BARGAINING_INPUTS = (
    "russia.capability",
    "ukraine.capability",
    "contest_exponent",
    "russia.war_cost",
    "ukraine.war_cost",
    "russia.great_power_status",
    "russia.dominance_threshold",
    "russia.sanctions_cost",
    "west.western_cohesion",
    "russia.optimism",
)
#: The offer game's results kept at every sweep point or draw (plus ``payoff.<government>``).
GAME_COLUMNS = (
    "regime",
    "kind",
    "settlement_probability",
    "renewed_war_probability",
    "war_probability",
    "payoff.russia",
    "payoff.ukraine",
    "certificate",
    "tolerance",
)
GRID_METHOD = (
    "the offer game's selected equilibrium at every point (solve_offer_game_batch); regret = "
    "the largest gain from a deviation at any information set of any point; tolerance = "
    "the smallest of the points' tolerances, each 1e-9 x max(1, payoff span)"
)


# ====================================================================== chunked grids
def game_chunk(model: Any, offer: Any, changes: Mapping[str, np.ndarray], size: int) -> dict:
    """The offer game's selected equilibrium at ``size`` points (a sweep or draw chunk).

    Kept at module level so that process executors can pickle it.

    Parameters
    ----------
    model : NegotiationModel
        The base point.
    offer : Offer or sequence of Offer
        The offer Russia may make, or a menu it chooses from.
    changes : mapping of str to numpy.ndarray
        The values the game reads at each point, under the game's names (the ``changes`` of
        :func:`~simulator.model.offer_game.solve_offer_game_batch`, as
        :func:`~simulator.analysis.points.game_changes` gives them), each of shape
        ``(size,)``. Empty: the base point, repeated.
    size : int
        Number of points in the chunk.

    Returns
    -------
    dict of str to numpy.ndarray
        The columns of :data:`GAME_COLUMNS`, ``payoff.<government>`` for every Western
        government and ``found``, each of shape ``(size,)``.

    Raises
    ------
    KeyError, ValueError
        As :func:`~simulator.model.offer_game.solve_offer_game_batch`, for a name the game
        does not know or read or a value outside its range.

    Examples
    --------
    >>> from simulator.model import NegotiationModel, Offer
    >>> out = game_chunk(NegotiationModel(), Offer(alignment=0.3, territory=0.2),
    ...                  {"russia.leader.removal_if_settle": np.array([0.0, 1.0])}, 2)
    >>> out["renewed_war_probability"].tolist()
    [0.0, 0.5]
    """
    if not changes:  # nothing the game reads varies: solve one point, repeat it
        changes = {"russia.prior_sincere": np.full(size, model.russia.prior_sincere)}
    out = solve_offer_game_batch(model, offer, changes)
    names = [g.name for g in model.west.governments]
    keep = list(GAME_COLUMNS) + [f"payoff.{g}" for g in names] + ["found"]
    return {k: np.broadcast_to(np.asarray(out[k]), (size,)).copy() for k in keep}


def bargaining_chunk(inputs: Mapping[str, np.ndarray], size: int) -> dict:
    """The bargaining range at ``size`` points, from :data:`BARGAINING_INPUTS`.

    The mapping of :func:`~simulator.model.published.bargaining.bargaining_range_from_model`,
    vectorised: ``p`` from the contest function, the sanctions burden as
    ``russia.sanctions_cost * west.western_cohesion``.

    Parameters
    ----------
    inputs : mapping of str to array_like
        Every name of :data:`BARGAINING_INPUTS` mapped to its values, each a number or an
        array that broadcasts to ``(size,)``.
    size : int
        Number of points in the chunk.

    Returns
    -------
    dict of str to numpy.ndarray
        ``low``, ``high`` (the alignments bounding the settlements both sides prefer to war;
        ``nan`` where there is none), ``nonempty``, ``within_sphere``, ``beyond_dominance``
        (bool), ``russia_war_payoff`` (as Russia sees it) and ``ukraine_war_payoff``, each of
        shape ``(size,)`` (:data:`~simulator.analysis.results.COLUMN_INFO` says what each
        holds).

    Raises
    ------
    KeyError
        If a name of :data:`BARGAINING_INPUTS` is missing from ``inputs``.

    Examples
    --------
    >>> from simulator.model import NegotiationModel
    >>> params = NegotiationModel().params
    >>> inputs = {name: params[name] for name in BARGAINING_INPUTS}
    >>> inputs["russia.war_cost"] = np.array([0.1, 0.3])
    >>> out = bargaining_chunk(inputs, 2)
    >>> out["low"].round(3).tolist(), out["high"].round(3).tolist()
    ([0.35, 0.35], [0.45, 0.65])
    """
    v = {k: np.broadcast_to(np.asarray(a, dtype=float), (size,)) for k, a in inputs.items()}
    p = contest(v["russia.capability"], v["ukraine.capability"], v["contest_exponent"])
    r = status_settlements(
        p=p,
        war_cost_russia=v["russia.war_cost"],
        war_cost_ukraine=v["ukraine.war_cost"],
        status_premium=v["russia.great_power_status"],
        dominance_threshold=v["russia.dominance_threshold"],
        sanctions_burden=v["russia.sanctions_cost"] * v["west.western_cohesion"],
        optimism=v["russia.optimism"],
    )
    return {
        k: np.broadcast_to(np.asarray(getattr(r, k)), (size,)).copy()
        for k in (
            "low",
            "high",
            "nonempty",
            "within_sphere",
            "beyond_dominance",
            "russia_war_payoff",
            "ukraine_war_payoff",
        )
    }


def _slice(arrays: Mapping[str, np.ndarray], a: int, b: int) -> dict[str, np.ndarray]:
    return {k: np.ascontiguousarray(v[a:b]) for k, v in arrays.items()}


def _chunked(
    ctx: _Context,
    key: str,
    size: int,
    compute: Callable[..., dict],
    leading: tuple[Any, ...],
    arrays: Mapping[str, np.ndarray],
) -> tuple[dict[str, np.ndarray], int]:
    """Solve ``size`` points in chunks: ``compute(*leading, arrays[chunk], chunk size)``.

    Returns the concatenated columns and the number of points read from checkpoints.
    """
    step = ctx.chunk_size or chunk_points(size)
    bounds = [(a, min(a + step, size)) for a in range(0, size, step)]
    parts: list[dict | None] = [None] * len(bounds)
    reused = 0
    if ctx.store is not None:
        for k, (a, b) in enumerate(bounds):
            parts[k] = ctx.store.load(key, k)
            if parts[k] is not None:
                reused += b - a
    done = reused
    ctx.report(done, size)

    def finish(k: int, part: dict) -> None:
        nonlocal done
        parts[k] = part
        if ctx.store is not None:
            ctx.store.save(key, k, part)
        done += bounds[k][1] - bounds[k][0]
        ctx.report(done, size)

    todo = [k for k, part in enumerate(parts) if part is None]
    if ctx.executor is not None and len(todo) > 1:
        futures = {
            ctx.executor.submit(
                compute, *leading, _slice(arrays, *bounds[k]), bounds[k][1] - bounds[k][0]
            ): k
            for k in todo
        }
        try:
            for future in concurrent.futures.as_completed(futures):
                finish(futures[future], future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    else:
        for k in todo:
            a, b = bounds[k]
            finish(k, compute(*leading, _slice(arrays, a, b), b - a))
    columns = {
        name: np.concatenate([np.asarray(p[name]) for p in parts])  # type: ignore[index]
        for name in parts[0]  # type: ignore[union-attr]
    }
    return columns, reused


def _grid_certificate(columns: Mapping[str, np.ndarray]) -> Certificate:
    """The grid's certificate: its largest regret against the smallest point tolerance.

    Each point is certified against its own tolerance (the offer game's rule); the grid's summary
    compares the worst regret with the strictest of them, so it never claims more than every
    point does.
    """
    regret = columns["certificate"]
    finite = regret[np.isfinite(regret)]
    worst = float(finite.max()) if finite.size == regret.size and finite.size else math.nan
    tolerance = float(np.nanmin(columns["tolerance"])) if regret.size else math.nan
    return Certificate(worst, tolerance, GRID_METHOD)


def _key(scenario: Scenario, kind: str, index: int, spec: Any, ctx: _Context) -> str:
    from simulator import __version__

    params = {k: v for k, v in scenario.params.items()}
    return checkpoint_key(
        __version__,
        code_hash(),
        kind,
        index,
        repr(spec),
        params,
        scenario.formulas,
        scenario.seed,
        ctx.fast,
        ctx.chunk_size,
    )
