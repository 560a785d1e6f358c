"""The war of attrition with private values: who holds out, and for how long.

Hendricks, Weiss & Wilson (1988), "The war of attrition in continuous time with complete
information", *International Economic Review* 29(4), 663-680, characterise the
continuous-time war of attrition; the symmetric equilibrium with privately known values
used here is the incomplete-information version analysed by Krishna & Morgan (1997), "An
analysis of the war of attrition and the all-pay auction", *Journal of Economic Theory*
72(2), 343-362, and Bulow & Klemperer (1999), "The generalized war of attrition",
*American Economic Review* 89(1), 175-189.

Normalisation (the one that gives ``T(0.5) = ln 2 - 1/2 = 0.193147``). Two players
contest a prize. Player ``i`` values it at ``v_i``, drawn independently from the uniform
distribution on ``[0, v_max]`` (``v_max = 1`` by default) and known only to ``i``. Both pay
``c`` per unit of time (``c = 1`` by default) while both fight. The first to quit gets
nothing and has paid until it quit; the other wins the prize and has paid until the
loser quit. Ties have probability zero.

Derivation. In a symmetric equilibrium with increasing quit time ``T``, a player of value
``v`` who quits as type ``w`` would (quits at ``T(w)``) gets::

    U(w; v) = v F(w) - c [ int_0^w T(x) f(x) dx + (1 - F(w)) T(w) ]

whose derivative in ``w`` is ``v f(w) - c (1 - F(w)) T'(w)`` (the ``T(w) f(w)`` terms
cancel); setting it to zero at ``w = v`` gives ``c T'(v) = v f(v) / (1 - F(v))`` with
``T(0) = 0`` (the lowest type quits at once). For the uniform distribution::

    T(v) = (-v - v_max ln(1 - v / v_max)) / c

and substituting back, ``U(w; v) = (v w - w^2 / 2) / v_max``, maximised at ``w = v``: the
equilibrium payoff is ``v^2 / (2 v_max)`` whatever ``c`` (costs of time and durations
scale together). The contest lasts ``T(min(v_1, v_2))``, on average ``v_max / (6 c)``.

Mission claim 4 (a side that values the outcome more, e.g. because its leader's survival
hangs on it, holds out longer; the war lasts until the side with the lower value quits).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.model.parameters import check_range

__all__ = [
    "deviation_payoff",
    "equilibrium_payoff",
    "expected_duration",
    "quit_time",
]


# ---------------------------------------------------------------------- validation
#: Why a value (or a mimicked type) must lie in ``[0, v_max]``.
_DRAWN = "values are drawn from the uniform distribution on [0, v_max]"


def _scalar(value: np.ndarray) -> Any:
    return value.item() if np.ndim(value) == 0 else value


# ---------------------------------------------------------------------- closed forms
def quit_time(value: Any, cost_per_time: Any = 1.0, v_max: Any = 1.0) -> Any:
    """Equilibrium quit time ``T(v) = (-v - v_max ln(1 - v / v_max)) / c``; broadcasts.

    ``T(v_max)`` is infinite: the highest type never quits.

    Parameters
    ----------
    value : float or array_like
        The player's value of the prize ``v``, in ``[0, v_max]``.
    cost_per_time : float or array_like
        Cost ``c > 0`` each player pays per unit of time while both fight.
    v_max : float or array_like
        Upper end ``v_max > 0`` of the uniform distribution of values.

    Returns
    -------
    float or numpy.ndarray
        The time ``T(v) >= 0`` at which a player of value ``v`` quits (``inf`` at
        ``v = v_max``); an array when the arguments broadcast to one.

    Raises
    ------
    ParameterError
        If ``cost_per_time`` or ``v_max`` is not positive, or ``value`` is outside
        ``[0, v_max]``.

    Examples
    --------
    >>> quit_time(0.5)  # ln 2 - 1/2
    0.193147...
    >>> quit_time([0.0, 0.5, 0.9], cost_per_time=2.0).round(6).tolist()
    [0.0, 0.096574, 0.701293]
    """
    c = check_range("cost_per_time", cost_per_time, 0, low_open=True)
    top = check_range("v_max", v_max, 0, low_open=True)
    v = check_range("value", value, 0, top, what=_DRAWN)
    with np.errstate(divide="ignore"):
        t = (-v - top * np.log1p(-v / top)) / c
    return _scalar(t)


def deviation_payoff(value: Any, mimic: Any, v_max: Any = 1.0) -> Any:
    """Expected payoff of a player of value ``v`` who quits at ``T(w)`` against ``T``.

    ``U(w; v) = (v w - w^2 / 2) / v_max``, independent of the cost of time; it is largest
    at ``w = v`` (no type gains by mimicking another). Broadcasts.

    Parameters
    ----------
    value : float or array_like
        The player's true value ``v``, in ``[0, v_max]``.
    mimic : float or array_like
        The type ``w`` whose quit time ``T(w)`` the player adopts, in ``[0, v_max]``.
    v_max : float or array_like
        Upper end ``v_max > 0`` of the uniform distribution of values.

    Returns
    -------
    float or numpy.ndarray
        ``U(w; v)``, the expected prize minus the expected cost of time.

    Raises
    ------
    ParameterError
        If ``v_max`` is not positive, or ``value`` or ``mimic`` is outside ``[0, v_max]``.

    Examples
    --------
    >>> deviation_payoff(0.5, [0.3, 0.5, 0.7]).round(4).tolist()
    [0.105, 0.125, 0.105]
    """
    top = check_range("v_max", v_max, 0, low_open=True)
    v = check_range("value", value, 0, top, what=_DRAWN)
    w = check_range("mimic", mimic, 0, top, what=_DRAWN)
    return _scalar((v * w - w**2 / 2.0) / top)


def equilibrium_payoff(value: Any, v_max: Any = 1.0) -> Any:
    """Expected equilibrium payoff of a player of value ``v``: ``v^2 / (2 v_max)``.

    Parameters
    ----------
    value : float or array_like
        The player's value ``v``, in ``[0, v_max]``.
    v_max : float or array_like
        Upper end ``v_max > 0`` of the uniform distribution of values.

    Returns
    -------
    float or numpy.ndarray
        ``v^2 / (2 v_max)``, which does not depend on the cost of time.

    Raises
    ------
    ParameterError
        If ``v_max`` is not positive or ``value`` is outside ``[0, v_max]``.

    Examples
    --------
    >>> equilibrium_payoff(0.5)
    0.125
    """
    top = check_range("v_max", v_max, 0, low_open=True)
    v = check_range("value", value, 0, top, what=_DRAWN)
    return _scalar(v**2 / (2.0 * top))


def expected_duration(cost_per_time: Any = 1.0, v_max: Any = 1.0) -> Any:
    """Expected length of the contest, ``E[T(min(v_1, v_2))] = v_max / (6 c)``.

    Parameters
    ----------
    cost_per_time : float or array_like
        Cost ``c > 0`` per unit of time while both fight.
    v_max : float or array_like
        Upper end ``v_max > 0`` of the uniform distribution of values.

    Returns
    -------
    float or numpy.ndarray
        ``v_max / (6 c)``, the expected time until the lower-valued player quits.

    Raises
    ------
    ParameterError
        If ``cost_per_time`` or ``v_max`` is not positive.

    Examples
    --------
    >>> expected_duration()
    0.166666...
    """
    c = check_range("cost_per_time", cost_per_time, 0, low_open=True)
    top = check_range("v_max", v_max, 0, low_open=True)
    return _scalar(top / (6.0 * c))
