"""Sweeps on a Dask cluster and as xarray labelled arrays (the optional dask and xarray extras).

The same results, bit for bit, whatever solves the chunks (serially, a process pool, a Dask
cluster) and whatever the chunk size; checkpoints written through Dask are reused on resume;
``to_xarray()`` labels the grid by the swept parameters and the NetCDF files written beside
the sweep CSVs read back equal; a wrong scheduler address or a missing extra is one line and
exit status 2 at the command line.
"""

from __future__ import annotations

import json
import socket
import sys

import numpy as np
import pytest

from simulator import cli
from simulator.analysis import cluster as cluster_module
from simulator.analysis import run_analyses, run_scenario
from simulator.analysis.cluster import ClusterError, MissingExtraError
from simulator.report import dumps, results_document, write_results
from simulator.scenario import parse_scenario

# A two-parameter regime map (35 points), a bargaining range (9) and 30 Monte Carlo draws:
# every chunked path, solved in a fraction of a second.
TINY = """\
title: Tiny sweeps
offers: {deal: {alignment: 0.3}}
analyses:
  - sweep:
      russia.great_power_status: {from: 0, to: 3, steps: 7}
      offers.deal.alignment: {from: 0, to: 1, steps: 5}
    offer: deal
  - sweep:
      russia.great_power_status: {from: 0, to: 3, steps: 9}
    show: bargaining_range
  - monte_carlo:
      russia.prior_sincere: {distribution: uniform, low: 0.2, high: 0.8}
    runs: 30
figures: []
"""
STAMP = "2022-03-29T12:00:00Z"


def _distributed():
    return pytest.importorskip(
        "distributed", reason='needs the dask extra: pip install "simulator[dask]"'
    )


def _xarray():
    return pytest.importorskip(
        "xarray", reason='needs the xarray extra: pip install "simulator[xarray]"'
    )


@pytest.fixture(scope="module")
def scenario():
    return parse_scenario(TINY)


@pytest.fixture(scope="module")
def serial(scenario):
    return run_scenario(scenario)


@pytest.fixture(scope="module")
def cluster():
    """A Dask cluster of two threaded workers behind a real TCP scheduler, for this module."""
    distributed = _distributed()
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=":0",
    ) as local:
        yield local.scheduler_address


def _chunked_results(results):
    return [*results.sweeps, *results.monte_carlo]


def assert_same(results, expected):
    """Every sweep and Monte Carlo column equal bit for bit, and the same results.json."""
    got, want = _chunked_results(results), _chunked_results(expected)
    assert [(a.kind, a.index) for a in got] == [(a.kind, a.index) for a in want]
    for a, b in zip(got, want):
        assert list(a.columns) == list(b.columns)
        for name in a.columns:
            x, y = np.asarray(a.columns[name]), np.asarray(b.columns[name])
            assert x.dtype == y.dtype and x.shape == y.shape, name
            if x.dtype.kind == "f":  # bit for bit: the same bytes, nan included
                assert x.tobytes() == y.tobytes(), name
            else:
                assert np.array_equal(x, y), name
    assert dumps(results_document(results, generated_at=STAMP)) == dumps(
        results_document(expected, generated_at=STAMP)
    )


# ====================================================================== identical results
@pytest.mark.parametrize("chunk_size", [1, 4, 7])
def test_any_chunk_size_gives_the_same_results_bit_for_bit(scenario, serial, chunk_size):
    assert_same(run_scenario(scenario, chunk_size=chunk_size), serial)


@pytest.mark.parametrize("chunk_size", [4, 7])
def test_a_process_pool_gives_the_serial_results_bit_for_bit(scenario, serial, chunk_size):
    assert_same(run_scenario(scenario, workers=2, chunk_size=chunk_size), serial)


@pytest.mark.parametrize("chunk_size", [2, 7, 256])
def test_a_dask_cluster_gives_the_serial_results_bit_for_bit(scenario, serial, cluster, chunk_size):
    assert_same(run_scenario(scenario, chunk_size=chunk_size, scheduler=cluster), serial)


def test_a_given_dask_executor_gives_the_serial_results(scenario, serial, cluster):
    distributed = _distributed()
    with distributed.Client(cluster, set_as_default=False) as client:
        executor = client.get_executor(pure=False)
        assert_same(run_scenario(scenario, chunk_size=3, executor=executor), serial)


def test_scheduler_local_starts_a_cluster_of_worker_processes(scenario, serial):
    """What ``--workers 2 --scheduler local`` does: real worker processes (a few seconds)."""
    _distributed()
    assert_same(run_scenario(scenario, workers=2, chunk_size=5, scheduler="local"), serial)


def test_scheduler_and_executor_or_remote_workers_are_refused(scenario, cluster):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool, pytest.raises(ValueError, match="not both"):
        run_scenario(scenario, executor=pool, scheduler=cluster)
    with pytest.raises(ValueError, match="its own workers"):
        run_scenario(scenario, workers=2, scheduler=cluster)


# ====================================================================== checkpoints
def test_resume_through_dask_reuses_the_checkpointed_chunks(
    scenario, serial, cluster, tmp_path, monkeypatch
):
    folder = tmp_path / "checkpoint"

    class Stop(Exception):
        pass

    def interrupt(label, done, total):
        if label.endswith("(offer game)") and done >= 8:
            raise Stop

    with pytest.raises(Stop):
        run_scenario(
            scenario, checkpoint=folder, chunk_size=4, scheduler=cluster, progress=interrupt
        )
    finished = len(list(folder.glob("*.npz")))
    assert finished >= 2  # at least two chunks of four points, in whatever order they came

    resumed = run_scenario(
        scenario, checkpoint=folder, chunk_size=4, resume=True, scheduler=cluster
    )
    assert resumed.sweeps[0].reused >= 8
    assert_same(resumed, serial)
    assert len(list(folder.glob("*.npz"))) == 9 + 3 + 8  # 35, 9 and 30 points in chunks of 4

    # Every chunk is now on disk: a resumed run, serial this time, solves nothing again.
    def never(*args, **kwargs):
        raise AssertionError("a checkpointed chunk was solved again")

    monkeypatch.setattr(run_analyses, "game_chunk", never)  # where the runners look them up
    monkeypatch.setattr(run_analyses, "bargaining_chunk", never)
    again = run_scenario(scenario, checkpoint=folder, chunk_size=4, resume=True)
    assert [a.reused for a in _chunked_results(again)] == [35, 9, 30]
    assert_same(again, serial)


# ====================================================================== xarray and NetCDF
def test_to_xarray_labels_the_grid_by_the_swept_parameters(serial):
    _xarray()
    sweep = serial.sweeps[0]
    ds = sweep.to_xarray()
    dims = ("russia.great_power_status", "offers.deal.alignment")
    assert tuple(ds.sizes) == dims and tuple(ds.sizes.values()) == sweep.shape
    for axis in sweep.axes:
        assert ds[axis.parameter].values.tolist() == list(axis.values)
        assert ds[axis.parameter].attrs["units"] == axis.unit != ""
    assert list(ds.data_vars) == list(sweep.columns)
    for name, column in sweep.columns.items():
        assert ds[name].dims == dims
        assert np.array_equal(ds[name].values, column)
    assert {"regime", "kind", "war_probability", "payoff.russia", "tolerance"} <= set(ds)
    assert ds["war_probability"].attrs["units"] == "probability"
    assert ds.attrs["offer"] == "deal" and ds.attrs["show"] == "regime_map"
    cert = sweep.certificate
    assert ds.attrs["certificate_regret"] == cert.regret
    assert ds.attrs["certificate_tolerance"] == cert.tolerance
    assert ds.attrs["certificate_method"] == cert.method
    assert ds.attrs["certified"] == int(cert.certified) == 1
    # Selecting by label gives the grid point.
    point = ds["regime"].sel({dims[0]: sweep.axes[0].values[2], dims[1]: sweep.axes[1].values[4]})
    assert point.item() == sweep.columns["regime"][2, 4]

    bargaining = serial.sweeps[1].to_xarray()
    assert tuple(bargaining.sizes) == ("russia.great_power_status",)
    assert {"low", "high", "nonempty"} <= set(bargaining) and bargaining["nonempty"].dtype == bool
    assert "certificate_regret" not in bargaining.attrs  # closed form: nothing to certify
    assert bargaining.attrs["show"] == "bargaining_range"

    draws = serial.monte_carlo[0].to_xarray()
    assert dict(draws.sizes) == {"draw": 30}
    assert np.array_equal(
        draws["russia.prior_sincere"].values, serial.monte_carlo[0].draws["russia.prior_sincere"]
    )
    assert draws.attrs["seed"] == serial.seed and draws.attrs["runs"] == 30


def test_netcdf_files_beside_the_sweep_csvs_read_back_equal(serial, tmp_path):
    xr = _xarray()
    paths = write_results(serial, tmp_path, generated_at=STAMP)
    names = [p.name for p in paths]
    for stem in ("sweep_1", "sweep_2", "monte_carlo_1"):
        assert f"{stem}.csv" in names and f"{stem}.nc" in names
    document = json.loads((tmp_path / "results.json").read_text())
    listed = {t["file"]: t for t in document["files"]["tables"]}
    assert listed["sweep_1.nc"]["rows"] == listed["sweep_1.csv"]["rows"] == 35
    assert not list(tmp_path.glob(".*.tmp"))
    results = [*serial.sweeps, *serial.monte_carlo]
    for stem, result in zip(("sweep_1", "sweep_2", "monte_carlo_1"), results):
        with xr.open_dataset(tmp_path / f"{stem}.nc") as back:
            xr.testing.assert_identical(back.load(), result.to_xarray())
    # Byte-identical when written again (no time stamps inside).
    first = (tmp_path / "sweep_1.nc").read_bytes()
    write_results(serial, tmp_path, generated_at=STAMP)
    assert (tmp_path / "sweep_1.nc").read_bytes() == first


def test_without_xarray_to_xarray_says_how_to_install_and_no_netcdf_is_written(
    serial, tmp_path, monkeypatch
):
    monkeypatch.setitem(sys.modules, "xarray", None)  # import xarray now fails
    with pytest.raises(MissingExtraError, match=r'pip install "simulator\[xarray\]"'):
        serial.sweeps[0].to_xarray()
    paths = write_results(serial, tmp_path, generated_at=STAMP)
    assert not [p for p in paths if p.suffix == ".nc"]
    assert not list(tmp_path.glob("*.nc"))


# ====================================================================== the command line
@pytest.fixture
def tiny_file(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("simulator: error: "), err
    assert "Traceback" not in err
    return lines[0]


def test_cli_unreachable_scheduler_is_one_line_and_exit_2(tiny_file, tmp_path, monkeypatch, capsys):
    _distributed()
    monkeypatch.setattr(cluster_module, "CONNECT_TIMEOUT", 0.5)
    address = f"tcp://127.0.0.1:{_free_port()}"
    out = tmp_path / "out"
    status = cli.main(["run", str(tiny_file), "--scheduler", address, "--out", str(out), "-q"])
    assert status == 2
    line = _one_error_line(capsys)
    assert address in line and "no answer within 0.5 s" in line
    assert not out.exists()  # nothing was written

    status = cli.main(["run", str(tiny_file), "--scheduler", "nowhere", "--out", str(out)])
    assert status == 2 and "not a Dask scheduler address" in _one_error_line(capsys)

    status = cli.main(["run", str(tiny_file), "--scheduler", address, "--workers", "2"])
    assert status == 2 and "drop --workers" in _one_error_line(capsys)


def test_cli_without_dask_says_how_to_install(tiny_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    with pytest.raises(MissingExtraError, match=r'pip install "simulator\[dask\]"'):
        run_scenario(parse_scenario(TINY), scheduler="local")
    out = tmp_path / "out"
    status = cli.main(
        ["run", str(tiny_file), "--workers", "2", "--scheduler", "local", "--out", str(out)]
    )
    assert status == 2
    assert 'pip install "simulator[dask]"' in _one_error_line(capsys)
    assert issubclass(MissingExtraError, ImportError) and issubclass(ClusterError, RuntimeError)


def test_cli_runs_on_a_dask_cluster_and_writes_the_same_files(tiny_file, tmp_path, cluster, capsys):
    serial_out, dask_out = tmp_path / "serial", tmp_path / "dask"
    assert cli.main(["run", str(tiny_file), "--out", str(serial_out), "-q"]) == 0
    status = cli.main(["run", str(tiny_file), "--out", str(dask_out), "-q", "--scheduler", cluster])
    assert status == 0, capsys.readouterr().err
    serial_doc = json.loads((serial_out / "results.json").read_text())
    dask_doc = json.loads((dask_out / "results.json").read_text())
    serial_doc.pop("generated_at"), dask_doc.pop("generated_at")
    assert serial_doc == dask_doc
    for name in ("sweep_1.csv", "sweep_1.nc", "sweep_2.nc", "monte_carlo_1.nc"):
        assert (serial_out / name).read_bytes() == (dask_out / name).read_bytes()
    assert not (dask_out / ".checkpoint").exists()
