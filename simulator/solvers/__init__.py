"""Equilibrium algorithms, one per module, and their certificates.

The solvers are re-exported here (loaded on first use, so ``import simulator.solvers``
stays cheap), as QuantEcon's ``game_theory`` does::

    from simulator.solvers import solve, lemke_howson, backward_induction

:func:`solve` returns certified results (:class:`Equilibrium` for strategic forms,
:class:`ExtensiveEquilibrium` for trees) or raises :class:`CertificationError`.

One naming rule for lean and rich functions
-------------------------------------------
A function named after its algorithm returns the equilibria as plain arrays, as nashpy
and QuantEcon do (lean). The same name with the suffix ``_result`` returns the
algorithm's one result type, ``<Algorithm>Result``, which holds the certified
:class:`Equilibrium` objects (attribute ``equilibria``, a tuple, or ``equilibrium`` for
one-path methods) plus what only that algorithm knows (pivots, components and maximal
Nash subsets, the traced path, the value, counts of supports).

| lean: plain arrays | rich: certified | result type |
|---|---|---|
| ``vertex_enumeration`` | ``vertex_enumeration_result`` | ``VertexEnumerationResult`` |
| ``support_enumeration`` | ``support_enumeration_result`` | ``SupportEnumerationResult`` |
| ``lemke_howson`` | ``lemke_howson_result`` | ``LemkeHowsonResult`` |
| ``lemke_howson_all_labels`` | ``lemke_howson_all_labels_result`` | ``tuple[LemkeHowsonResult]`` |
| ``trace_logit`` | ``trace_logit_result`` | ``LogitResult`` |
| ``zero_sum`` | ``zero_sum_result`` | ``ZeroSumResult`` |
| ``sequence_support_enumeration`` (trees) | ``..._result`` | ``SequenceSupportResult`` |

The old names ``extreme_equilibria``/``ExtremeEquilibria``, ``enumerate_equilibria`` and
``solve_zero_sum``/``ZeroSumSolution`` still resolve; the functions warn
(``DeprecationWarning``) and name their replacement.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import Any

_MODULES = {
    "solve": ["solve", "choose_method", "METHODS"],
    "solve_normal": ["solve_normal_form"],
    "solve_extensive": ["solve_extensive", "signalling_equilibria", "EXTENSIVE_CONCEPTS"],
    "equilibrium": [
        "Equilibrium",
        "CertificationError",
        "ExactlyRefutedError",
        "RefutedCandidatesWarning",
        "certify",
        "player_tolerances",
        "default_tolerance",
        "tolerance_from_range",
        "rationalise_profile",
        "VISIBLE_GAIN",
    ],
    "pure": ["pure_equilibria", "pure_nash_mask"],
    # each algorithm: the lean function, the rich one (``_result``), its result type
    "vertex_enumeration": [
        "vertex_enumeration",
        "vertex_enumeration_result",
        "VertexEnumerationResult",
    ],
    "support_enumeration_n": [
        "support_enumeration",
        "support_enumeration_result",
        "SupportEnumerationResult",
        "NonIsolatedEquilibriaWarning",
    ],
    "lemke_howson": [
        "lemke_howson",
        "lemke_howson_result",
        "lemke_howson_all_labels",
        "lemke_howson_all_labels_result",
        "LemkeHowsonResult",
        "PivotLimitError",
    ],
    "logit": ["trace_logit", "trace_logit_result", "LogitResult", "LogitPath", "logit_qre"],
    "zero_sum": ["zero_sum", "zero_sum_result", "ZeroSumResult", "LinearProgramError"],
    "batch": ["solve_batch", "BatchResult"],
    "extensive_equilibrium": [
        "ExtensiveEquilibrium",
        "certify_extensive",
        "nash_regrets",
        "nash_regret",
        "sequential_rationality_regrets",
        "sequential_rationality_regret",
        "subgame_perfection_regret",
        "best_response",
        "game_tolerances",
        "CONCEPTS",
    ],
    "extensive_exact": ["exact_nash_regrets"],
    "backward_induction": ["backward_induction", "all_pure_spe"],
    "subgame_perfect": ["subgame_perfect_equilibria"],
    "sequence_form": ["sequence_form_equilibrium", "SequenceForm"],
    "sequence_supports": [
        "sequence_support_enumeration",
        "sequence_support_enumeration_result",
        "SequenceSupportResult",
    ],
    "lemke_lcp": ["lemke", "LemkeRayError"],
    "agent_logit": ["sequential_equilibrium", "trace_agent_logit", "AgentLogitResult"],
    "sequential": ["is_sequential", "SequentialCheck"],
    "signalling_pbe": [
        "perfect_bayesian_equilibria",
        "intuitive_criterion",
        "SignallingEquilibrium",
        "BeliefRange",
    ],
}

#: Deprecated names, still resolved (the functions warn); not in ``__all__``.
_DEPRECATED = {
    "extreme_equilibria": "vertex_enumeration",
    "ExtremeEquilibria": "vertex_enumeration",
    "enumerate_equilibria": "support_enumeration_n",
    "solve_zero_sum": "zero_sum",
    "ZeroSumSolution": "zero_sum",
}

_EXPORTS = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_EXPORTS)

_EXPORTS.update(_DEPRECATED)


class _Package(types.ModuleType):
    """This package, with re-exported functions that outrank same-named submodules.

    Importing a submodule binds it on its package; ``solve``, ``lemke_howson``,
    ``vertex_enumeration``, ``zero_sum`` and ``backward_induction`` are both a module and
    its main function, and ``simulator.solvers.solve`` must stay the function whatever was
    imported first. Reach a module itself with ``from simulator.solvers.solve import ...``
    or :func:`importlib.import_module`.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'simulator.solvers' has no attribute {name!r}")
    value = getattr(import_module(f"simulator.solvers.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
