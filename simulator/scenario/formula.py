"""A restricted evaluator for parameter formulas such as ``"=0.5 * russia.war_cost + 0.02"``.

A formula is text starting with ``=``. Its body is parsed with Python's own parser
(``ast.parse(mode="eval")``) and accepted only if every node belongs to a small
whitelist: numbers, dotted parameter names, arithmetic (``+ - * / **`` and unary
``-``/``+``), comparisons, ``and``/``or``/``not``, ``x if c else y`` and calls to
:data:`FUNCTIONS`. Everything else -- attribute access on anything but a parameter
name, subscripts, lambdas, comprehensions, strings, names starting with ``_`` -- is
rejected before evaluation, and the evaluator walks the tree itself (no ``eval``), so a
formula can never run code or read files. Size, nesting depth and exponents are
bounded so that no formula can exhaust time or memory (``10 ** 10 ** 10`` is refused).

Formulas may refer to other formulas; :func:`solve_formulas` evaluates them in
dependency order (a depth-first topological sort, Tarjan 1976, *Acta Informatica* 6)
and reports cycles such as ``a -> b -> a``.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.errors import SimulatorError
from simulator.scenario.errors import suggest

__all__ = [
    "FUNCTIONS",
    "Formula",
    "FormulaError",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "evaluate_formulas",
    "is_formula",
    "parse_formula",
    "solve_formulas",
]

#: Longest formula body accepted (characters).
MAX_LENGTH = 400
#: Most syntax-tree nodes in one formula.
MAX_NODES = 150
#: Deepest nesting of one formula's syntax tree.
MAX_DEPTH = 50
#: Largest absolute exponent in ``a ** b``.
MAX_EXPONENT = 100.0


class FormulaError(SimulatorError, ValueError):
    """A formula is not allowed, cannot be evaluated, or is part of a cycle."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion


def _log(x: float) -> float:
    if x <= 0:
        raise FormulaError(f"log needs a positive number; got {x:g}")
    return math.log(x)


def _sqrt(x: float) -> float:
    if x < 0:
        raise FormulaError(f"sqrt needs a number >= 0; got {x:g}")
    return math.sqrt(x)


def _exp(x: float) -> float:
    if x > 700:
        raise FormulaError(f"exp({x:g}) is too large")
    return math.exp(x)


def _clip(x: float, low: float, high: float) -> float:
    if low > high:
        raise FormulaError(f"clip(x, low, high) needs low <= high; got low={low:g}, high={high:g}")
    return min(max(x, low), high)


#: The functions a formula may call: name -> (function, fewest args, most args, help).
FUNCTIONS: dict[str, tuple[Callable[..., float], int, int, str]] = {
    "min": (lambda *a: min(a), 1, 16, "smallest of its arguments"),
    "max": (lambda *a: max(a), 1, 16, "largest of its arguments"),
    "abs": (abs, 1, 1, "absolute value"),
    "exp": (_exp, 1, 1, "e to the power x"),
    "log": (_log, 1, 1, "natural logarithm (x > 0)"),
    "sqrt": (_sqrt, 1, 1, "square root (x >= 0)"),
    "clip": (_clip, 3, 3, "clip(x, low, high): x limited to [low, high]"),
}

_BINOPS: dict[type, str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
}
_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}
_FRIENDLY: dict[type, str] = {
    ast.Lambda: "lambda functions",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.Subscript: "subscripts ([...])",
    ast.Starred: "starred arguments",
    ast.NamedExpr: "assignments (:=)",
    ast.JoinedStr: "text",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Dict: "mappings",
    ast.Set: "sets",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slices",
}


def is_formula(value: Any) -> bool:
    """Whether a scenario value is a formula (text starting with ``=``).

    Parameters
    ----------
    value : object
        A value as read from a scenario; leading whitespace of text is ignored.

    Returns
    -------
    bool
        True for text whose first non-blank character is ``=``.

    Examples
    --------
    >>> is_formula("=0.5 * russia.war_cost"), is_formula("0.5"), is_formula(0.5)
    (True, False, False)
    """
    return isinstance(value, str) and value.lstrip().startswith("=")


def _dotted(node: ast.AST) -> str | None:
    """``russia.leader.punishment`` for a chain of attributes ending in a name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _check_name(name: str) -> None:
    for part in name.split("."):
        if part.startswith("_"):
            raise FormulaError(
                f"the name {name!r} is not allowed: names starting with '_' are never parameters"
            )


def _validate(tree: ast.AST, names: set[str]) -> None:
    """Raise FormulaError unless every node of ``tree`` is on the whitelist."""
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise FormulaError(f"the formula is too long (more than {MAX_NODES} parts)")
        if depth > MAX_DEPTH:
            raise FormulaError(f"the formula is nested too deeply (more than {MAX_DEPTH} levels)")
        children: list[ast.AST]
        if isinstance(node, ast.Expression):
            children = [node.body]
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, (bool, int, float)):
                if isinstance(node.value, int) and abs(node.value) > 10**300:
                    raise FormulaError("a number in the formula is too large")
                if isinstance(node.value, float) and not math.isfinite(node.value):
                    raise FormulaError(
                        "a number in the formula is too large to be finite; every number "
                        "must be finite"
                    )
                children = []
            else:
                raise FormulaError(
                    f"{type(node.value).__name__} constants such as {node.value!r} are not "
                    "allowed in a formula; use numbers"
                )
        elif isinstance(node, (ast.Name, ast.Attribute)):
            name = _dotted(node)
            if name is None:
                raise FormulaError(
                    "attribute access is not allowed; only dotted parameter names such as "
                    "russia.war_cost"
                )
            _check_name(name)
            if name in FUNCTIONS:
                raise FormulaError(f"the function {name!r} must be called, e.g. {name}(x)")
            names.add(name)
            children = []
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                raise FormulaError(
                    f"the operator {type(node.op).__name__} is not allowed; use + - * / **"
                )
            children = [node.left, node.right]
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
                raise FormulaError("only the unary operators -, + and not are allowed")
            children = [node.operand]
        elif isinstance(node, ast.BoolOp):
            children = list(node.values)
        elif isinstance(node, ast.Compare):
            for op in node.ops:
                if type(op) not in _COMPARE:
                    raise FormulaError(
                        f"the comparison {type(op).__name__} is not allowed; use < <= > >= == !="
                    )
            children = [node.left, *node.comparators]
        elif isinstance(node, ast.IfExp):
            children = [node.test, node.body, node.orelse]
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                _check_name(node.func.id)
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                shown = _dotted(node.func) or "this"
                raise FormulaError(
                    f"calling {shown!r} is not allowed; the functions are "
                    f"{', '.join(sorted(FUNCTIONS))}",
                    suggest(shown, FUNCTIONS),
                )
            if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                raise FormulaError(f"{node.func.id}() takes plain arguments only")
            _fn, fewest, most, _help = FUNCTIONS[node.func.id]
            if not fewest <= len(node.args) <= most:
                wanted = str(fewest) if fewest == most else f"{fewest} to {most}"
                raise FormulaError(
                    f"{node.func.id}() takes {wanted} argument(s); got {len(node.args)}"
                )
            children = list(node.args)
        else:
            what = _FRIENDLY.get(type(node), type(node).__name__)
            raise FormulaError(
                f"{what} are not allowed in a formula; use numbers, parameter names, "
                "arithmetic, comparisons, and/or/not, 'x if c else y' and "
                f"{', '.join(sorted(FUNCTIONS))}"
            )
        stack.extend((child, depth + 1) for child in children)


@dataclass(frozen=True)
class Formula:
    """A parsed, validated formula.

    Attributes
    ----------
    text : str
        The formula as written, e.g. ``"=0.5 * russia.war_cost"``.
    names : frozenset of str
        The dotted parameter names it reads.

    Examples
    --------
    >>> f = parse_formula("=0.5 * russia.war_cost + 0.02")
    >>> sorted(f.names)
    ['russia.war_cost']
    >>> f.evaluate({"russia.war_cost": 0.1})
    0.07
    """

    text: str
    names: frozenset[str]
    tree: ast.Expression = field(repr=False, compare=False)

    def evaluate(self, values: Mapping[str, Any]) -> float:
        """The formula's value given the values of the names it reads."""
        result = _eval(self.tree.body, values, self.text)
        if isinstance(result, complex) or not math.isfinite(result):
            raise FormulaError(f"the formula {self.text!r} does not give a finite number")
        return float(result)


def parse_formula(text: str) -> Formula:
    """Parse and validate a formula (text starting with ``=``), or raise FormulaError.

    Parameters
    ----------
    text : str
        The formula: ``=`` then an expression of at most :data:`MAX_LENGTH` (400)
        characters.

    Returns
    -------
    Formula
        The text, the parameter names it reads and its syntax tree.

    Raises
    ------
    FormulaError
        If ``text`` is not a formula, is empty after ``=``, too long, not a valid
        expression, or uses a name, operation or size the formula language does not
        allow.

    Examples
    --------
    >>> parse_formula("=max(0, 1 - west.western_cohesion)").names
    frozenset({'west.western_cohesion'})
    >>> parse_formula("=__import__('os')")
    Traceback (most recent call last):
    ...
    simulator.scenario.formula.FormulaError: the name '__import__' is not allowed: ...
    """
    if not is_formula(text):
        raise FormulaError(f"a formula is text starting with '='; got {text!r}")
    body = text.lstrip()[1:].strip()
    if not body:
        raise FormulaError("the formula is empty; write an expression after '='")
    if len(body) > MAX_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(body, mode="eval")
    except SyntaxError as exc:
        where = f" at character {exc.offset}" if exc.offset else ""
        raise FormulaError(f"the formula {text!r} is not valid{where}: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
        raise FormulaError(f"the formula {text!r} cannot be read: {exc}") from None
    names: set[str] = set()
    _validate(tree, names)
    return Formula(text=text, names=frozenset(names), tree=tree)


def _eval(node: ast.AST, values: Mapping[str, Any], text: str) -> Any:
    if isinstance(node, ast.Constant):
        try:
            return node.value if isinstance(node.value, bool) else float(node.value)
        except OverflowError:
            raise FormulaError("a number in the formula is too large") from None
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = _dotted(node)
        value = values[name]  # presence checked by the caller
        if isinstance(value, bool):
            return value
        return float(value)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values, text)
        if isinstance(node.op, ast.Not):
            return not operand
        return -operand if isinstance(node.op, ast.USub) else +operand
    if isinstance(node, ast.BinOp):
        return _binop(node, _eval(node.left, values, text), _eval(node.right, values, text))
    if isinstance(node, ast.BoolOp):
        result: Any = None
        for part in node.values:
            result = _eval(part, values, text)
            if isinstance(node.op, ast.And) and not result:
                return result
            if isinstance(node.op, ast.Or) and result:
                return result
        return result
    if isinstance(node, ast.Compare):
        left = _eval(node.left, values, text)
        for op, comparator in zip(node.ops, node.comparators):
            right = _eval(comparator, values, text)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.IfExp):
        branch = node.body if _eval(node.test, values, text) else node.orelse
        return _eval(branch, values, text)
    if isinstance(node, ast.Call):
        fn = FUNCTIONS[node.func.id][0]  # type: ignore[attr-defined]
        args = [float(_eval(a, values, text)) for a in node.args]
        return _finite(fn(*args), node.func.id)  # type: ignore[attr-defined]
    raise FormulaError(f"cannot evaluate {type(node).__name__}")  # pragma: no cover


def _finite(value: Any, what: str) -> float:
    if isinstance(value, complex) or not math.isfinite(value):
        raise FormulaError(f"{what} does not give a finite number")
    return value


def _binop(node: ast.BinOp, left: Any, right: Any) -> float:
    a, b = float(left), float(right)
    symbol = _BINOPS[type(node.op)]
    try:
        if symbol == "+":
            result = a + b
        elif symbol == "-":
            result = a - b
        elif symbol == "*":
            result = a * b
        elif symbol == "/":
            if b == 0:
                raise FormulaError(f"division by zero ({a:g} / 0)")
            result = a / b
        else:
            if abs(b) > MAX_EXPONENT:
                raise FormulaError(
                    f"the exponent {b:g} is too large (at most {MAX_EXPONENT:g} in size)"
                )
            if a < 0 and not b.is_integer():
                raise FormulaError(f"a negative number to a fractional power ({a:g} ** {b:g})")
            if a == 0 and b < 0:
                raise FormulaError("zero to a negative power")
            result = a**b
    except OverflowError:
        raise FormulaError(f"{a:g} {symbol} {b:g} is too large") from None
    return _finite(result, f"{a:g} {symbol} {b:g}")


def _order(
    formulas: Mapping[str, Formula], resolve: Callable[[str], str | None]
) -> tuple[list[str], dict[str, FormulaError]]:
    """Dependency order of the formulas, and the errors of those in a cycle."""
    order: list[str] = []
    errors: dict[str, FormulaError] = {}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def deps(name: str) -> list[str]:
        found = (resolve(n) for n in sorted(formulas[name].names))
        return [d for d in found if d is not None and d in formulas]

    for start in formulas:
        if state.get(start):
            continue
        # Iterative depth-first search keeping the current path to report cycles.
        path: list[str] = [start]
        iters = [iter(deps(start))]
        state[start] = 1
        while path:
            nxt = next(iters[-1], None)
            if nxt is None:
                done = path.pop()
                iters.pop()
                state[done] = 2
                order.append(done)
                continue
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt) :] + [nxt]
                message = "formulas refer to each other in a cycle: " + " -> ".join(cycle)
                for member in cycle[:-1]:
                    errors.setdefault(member, FormulaError(message))
                continue
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                iters.append(iter(deps(nxt)))
    return order, errors


def solve_formulas(
    formulas: Mapping[str, str | Formula],
    values: Mapping[str, Any],
    aliases: Mapping[str, str] | None = None,
    unavailable: frozenset[str] | set[str] = frozenset(),
) -> tuple[dict[str, float], dict[str, FormulaError]]:
    """Evaluate formulas that may refer to one another, collecting every error.

    Parameters
    ----------
    formulas : mapping
        Parameter name -> formula (text or :class:`Formula`).
    values : mapping
        Values of the parameters given as plain numbers.
    aliases : mapping, optional
        Extra names a formula may use for a parameter (alias -> parameter name).
    unavailable : set of str
        Parameters whose values are invalid; formulas reading them are skipped silently
        (the invalid value is reported where it is written).

    Returns
    -------
    values : dict
        Parameter name -> computed value, for every formula that could be evaluated.
    errors : dict
        Parameter name -> FormulaError, for every formula that could not.

    Examples
    --------
    >>> vals, errs = solve_formulas({"a": "=b + 1", "b": "=2 * c", "x": "=y", "y": "=x"},
    ...                             {"c": 0.5})
    >>> vals, sorted(errs)
    ({'b': 1.0, 'a': 2.0}, ['x', 'y'])
    >>> str(errs["x"])
    'formulas refer to each other in a cycle: x -> y -> x'
    """
    aliases = dict(aliases or {})
    parsed: dict[str, Formula] = {}
    errors: dict[str, FormulaError] = {}
    for name, formula in formulas.items():
        try:
            parsed[name] = formula if isinstance(formula, Formula) else parse_formula(formula)
        except FormulaError as exc:
            errors[name] = exc
    known = set(values) | set(formulas) | set(aliases) | set(unavailable)

    def resolve(name: str) -> str | None:
        if name in values or name in formulas or name in unavailable:
            return name
        return aliases.get(name)

    order, cycle_errors = _order(parsed, resolve)
    errors.update(cycle_errors)
    results: dict[str, float] = {}
    blocked = set(unavailable) | set(errors)
    for name in order:
        if name in errors:
            continue
        formula = parsed[name]
        env: dict[str, Any] = {}
        skip = False
        for ref in formula.names:
            target = resolve(ref)
            if target is None:
                errors[name] = FormulaError(
                    f"the formula {formula.text!r} uses the unknown name {ref!r}",
                    suggest(ref, sorted(known)),
                )
                skip = True
                break
            if target in blocked:
                skip = True
                break
            if target in results:
                env[ref] = results[target]
            elif target in values:
                value = values[target]
                if isinstance(value, str) or value is None:
                    errors[name] = FormulaError(
                        f"the formula {formula.text!r} uses {ref!r}, which is not a number"
                    )
                    skip = True
                    break
                env[ref] = value
            else:
                skip = True  # a formula that failed
                break
        if skip:
            blocked.add(name)
            continue
        try:
            results[name] = formula.evaluate(env)
        except FormulaError as exc:
            errors[name] = FormulaError(f"the formula {formula.text!r}: {exc.message}")
            blocked.add(name)
    return results, errors


def evaluate_formulas(
    formulas: Mapping[str, str | Formula],
    values: Mapping[str, Any],
    aliases: Mapping[str, str] | None = None,
) -> dict[str, float]:
    """Like :func:`solve_formulas`, but raise the first FormulaError.

    Parameters
    ----------
    formulas : mapping
        Parameter name -> formula (text or :class:`Formula`).
    values : mapping
        Values of the parameters given as plain numbers.
    aliases : mapping, optional
        Extra names a formula may use for a parameter (alias -> parameter name).

    Returns
    -------
    dict of str to float
        Parameter name -> computed value, for every formula.

    Raises
    ------
    FormulaError
        For the first formula (in the order of ``formulas``) that cannot be parsed or
        evaluated, the message starting with its parameter's name.

    Examples
    --------
    >>> evaluate_formulas({"sanctions": "=clip(2 * cost, 0, 1)"}, {"cost": 0.7})
    {'sanctions': 1.0}
    """
    results, errors = solve_formulas(formulas, values, aliases)
    if errors:
        name = next(iter(errors))
        err = errors[name]
        raise FormulaError(f"{name}: {err.message}", err.suggestion)
    return results
