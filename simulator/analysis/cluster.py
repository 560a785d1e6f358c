"""Solving sweep and Monte Carlo chunks on a Dask cluster (the optional ``dask`` extra).

:func:`dask_executor` yields a :class:`concurrent.futures.Executor` backed by a Dask
:class:`distributed.Client`: on a local cluster it starts (``scheduler="local"``, one
single-threaded worker process per worker) or on an existing cluster it connects to
(``scheduler="tcp://host:port"``). :func:`~simulator.analysis.run.run_scenario` hands the
chunks to it through the same path as a process pool, so checkpoints, ``resume`` and the
results are the same whatever runs the chunks: each chunk is a pure function of its points
(no random numbers are drawn on a worker) and chunks are put back together in chunk order.

``dask`` and ``distributed`` are imported only here and only when a scheduler is asked for;
without them :class:`MissingExtraError` says how to install them.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from simulator.errors import SimulatorError
from simulator.machine import available_cores

__all__ = [
    "CONNECT_TIMEOUT",
    "ClusterError",
    "LOCAL",
    "MissingExtraError",
    "dask_executor",
    "optional_import",
]

#: ``scheduler=LOCAL`` starts a Dask cluster on this machine for the run.
LOCAL = "local"
#: Seconds to wait for an existing scheduler to answer (and to have a worker) before giving up.
CONNECT_TIMEOUT = 10.0


class MissingExtraError(SimulatorError, ImportError):
    """An optional dependency is needed and not installed; the message says how to install it.

    Examples
    --------
    >>> try:
    ...     optional_import("no_such_module", "dask", "the Dask scheduler")
    ... except MissingExtraError as exc:
    ...     print(exc)
    the Dask scheduler needs the optional dependency no_such_module: pip install "simulator[dask]"
    """


class ClusterError(SimulatorError, RuntimeError):
    """A Dask cluster could not be started or reached (the message says which and why)."""


def optional_import(module: str, extra: str, purpose: str) -> Any:
    """Import ``module`` or raise :class:`MissingExtraError` naming the extra that installs it.

    Parameters
    ----------
    module : str
        The module to import, e.g. ``"distributed"``.
    extra : str
        The extra of this project that installs it, e.g. ``"dask"``.
    purpose : str
        What it is needed for, for the message (e.g. ``"the Dask scheduler"``).

    Returns
    -------
    module
        The imported module.

    Raises
    ------
    MissingExtraError
        When it cannot be imported; the message says ``pip install "simulator[<extra>]"``.

    Examples
    --------
    >>> optional_import("math", "none", "arithmetic").sqrt(4.0)
    2.0
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(
            f'{purpose} needs the optional dependency {module}: pip install "simulator[{extra}]"'
        ) from exc


def _worker_code() -> str:
    """The library version and source hash on a worker (compared with the client's)."""
    from simulator import __version__
    from simulator.analysis.checkpoint import code_hash

    return f"{__version__}+{code_hash()}"


@contextmanager
def dask_executor(
    scheduler: str, workers: int | None = None
) -> Iterator[concurrent.futures.Executor]:
    """An executor that runs tasks on a Dask cluster, closed (and a local cluster stopped) after.

    Parameters
    ----------
    scheduler : str
        ``"local"``: start a local cluster of ``workers`` single-threaded worker processes
        (default: one per CPU). Otherwise the address of a running scheduler, e.g.
        ``"tcp://10.0.0.5:8786"``; its workers must run the same version of this library.
    workers : int, optional
        Workers of the local cluster. Not allowed with an address (the cluster has its own).

    Yields
    ------
    concurrent.futures.Executor
        Dask's executor (``client.get_executor``): give it to
        :func:`simulator.analysis.run_scenario` as ``executor``.

    Raises
    ------
    ValueError
        ``scheduler`` is empty, or ``workers`` is given with a scheduler address.
    MissingExtraError
        ``dask[distributed]`` is not installed.
    ClusterError
        The local cluster could not start, the scheduler did not answer (or had no worker)
        within :data:`CONNECT_TIMEOUT` seconds, or a worker runs other library code.
    """
    if not isinstance(scheduler, str) or not scheduler.strip():
        raise ValueError(f"scheduler must be 'local' or a scheduler address; got {scheduler!r}")
    scheduler = scheduler.strip()
    if scheduler != LOCAL and workers is not None and workers > 1:
        raise ValueError(
            "workers sets the size of a local Dask cluster; an existing cluster at "
            f"{scheduler} uses its own workers"
        )
    distributed = optional_import("distributed", "dask", "the Dask scheduler")
    with _client(distributed, scheduler, workers) as client:
        executor = client.get_executor(pure=False)  # chunks are never deduplicated by hash
        try:
            yield executor
        finally:
            executor.shutdown(wait=False)


@contextmanager
def _client(distributed: Any, scheduler: str, workers: int | None) -> Iterator[Any]:
    if scheduler == LOCAL:
        n = workers if workers is not None and workers >= 1 else available_cores()
        try:
            cluster = distributed.LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                # The scheduler serves HTTP even without a dashboard: a free port, not 8787,
                # so that a second cluster on the machine does not warn about the port.
                dashboard_address=":0",
                silence_logs=logging.ERROR,  # the library never prints
            )
        except Exception as exc:  # noqa: BLE001 - reported as one line
            raise ClusterError(f"cannot start a local Dask cluster: {_first_line(exc)}") from exc
        try:
            with distributed.Client(cluster, set_as_default=False) as client:
                yield client
        finally:
            cluster.close()
        return
    _probe(scheduler)
    problem = ""
    try:
        client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:  # noqa: BLE001 - reported as one line
        problem = _first_line(exc)
    if problem:  # raised outside the except block: the half-made Client is not kept alive
        raise ClusterError(f"cannot connect to the Dask scheduler at {scheduler}: {problem}")
    try:
        _check_workers(client, scheduler)
        yield client
    finally:
        client.close()


def _probe(scheduler: str) -> None:
    """Check that ``scheduler`` answers before a Client is built.

    A :class:`distributed.Client` that fails to connect is left half made and complains when
    it is garbage-collected; one short connection first keeps a wrong address to one line.
    """
    from distributed.comm import connect

    async def attempt() -> None:
        comm = await connect(scheduler, timeout=CONNECT_TIMEOUT)
        await comm.close()

    # asyncio.run in a thread of its own: the caller may already be inside an event loop.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        try:
            pool.submit(asyncio.run, attempt()).result()
        except ValueError as exc:  # malformed: no port, unknown scheme
            raise ClusterError(
                f"{scheduler!r} is not a Dask scheduler address ({_first_line(exc)}); "
                "give 'local' or an address such as tcp://host:8786"
            ) from None
        except (OSError, TimeoutError):  # refused, unknown host, no answer: retried until then
            raise ClusterError(
                f"cannot reach the Dask scheduler at {scheduler}: no answer within "
                f"{CONNECT_TIMEOUT:g} s"
            ) from None
        except Exception as exc:  # noqa: BLE001 - anything else, still one line
            raise ClusterError(
                f"cannot reach the Dask scheduler at {scheduler}: {_first_line(exc)}"
            ) from None


def _check_workers(client: Any, scheduler: str) -> None:
    """Wait for a worker; refuse workers that run another version of the library."""
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except Exception as exc:  # noqa: BLE001
        raise ClusterError(
            f"the Dask scheduler at {scheduler} has no worker (waited {CONNECT_TIMEOUT:g} s)"
        ) from exc
    mine = _worker_code()
    try:
        theirs = client.run(_worker_code)
    except Exception as exc:  # noqa: BLE001 - e.g. the library is not installed there
        raise ClusterError(
            f"the workers of {scheduler} cannot run this library: {_first_line(exc)}"
        ) from exc
    other = sorted(address for address, code in theirs.items() if code != mine)
    if other:
        raise ClusterError(
            f"worker {other[0]} of {scheduler} runs other simulator code ({theirs[other[0]]}, "
            f"here {mine}); install the same version on every worker"
        )


def _first_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [""])[0]
    return text or type(exc).__name__
