"""Every public function and class of ``simulator`` documents its signature (numpydoc).

A public name is one listed in a public module's ``__all__`` and defined there. A function
needs a ``Parameters`` section when it takes arguments and a ``Returns`` (or ``Yields``)
section when it returns something; a class needs ``Parameters`` or ``Attributes`` (errors
and warnings excepted). Names that do not yet are listed in
``tests/data/undocumented_public_names.txt``: the list can only shrink. A new public name
must come documented, and a name documented since must leave the list.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import warnings
from pathlib import Path

import simulator

LIST = Path(__file__).parent / "data" / "undocumented_public_names.txt"
_SECTION = re.compile(
    r"^\s*(Parameters|Returns|Yields|Raises|Examples|Attributes)\s*\n\s*-{3,}", re.MULTILINE
)


def _sections(doc: str | None) -> set[str]:
    return set(_SECTION.findall(doc or ""))


def _documented(obj: object) -> bool:
    found = _sections(obj.__doc__)
    if inspect.isclass(obj):
        return issubclass(obj, BaseException) or bool(found & {"Parameters", "Attributes"})
    signature = inspect.signature(obj)  # type: ignore[arg-type]
    needed = set()
    if signature.parameters:
        needed.add("Parameters")
    returns = signature.return_annotation
    if returns not in (None, "None", inspect.Signature.empty) and "Yields" not in found:
        needed.add("Returns")
    return needed <= found


def public_names() -> dict[str, object]:
    """Every public function and class, by its dotted name."""
    out: dict[str, object] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated root names
        for info in pkgutil.walk_packages(simulator.__path__, "simulator."):
            if any(part.startswith("_") for part in info.name.split(".")[1:]):
                continue
            module = importlib.import_module(info.name)
            for name in getattr(module, "__all__", ()):
                obj = getattr(module, name, None)
                if getattr(obj, "__module__", None) != module.__name__:
                    continue  # a re-export: counted where it is defined
                if inspect.isfunction(obj) or inspect.isclass(obj):
                    out[f"{module.__name__}.{name}"] = obj
    return out


def undocumented() -> set[str]:
    return {name for name, obj in public_names().items() if not _documented(obj)}


def test_no_new_public_name_without_a_documented_signature() -> None:
    allowed = set(LIST.read_text(encoding="utf-8").split())
    new = sorted(undocumented() - allowed)
    assert not new, "document these public names (numpydoc Parameters/Returns): " + ", ".join(new)


def test_the_list_of_undocumented_names_only_shrinks() -> None:
    allowed = set(LIST.read_text(encoding="utf-8").split())
    current = undocumented()
    fixed = sorted(allowed - current)
    assert not fixed, (
        "documented (or gone) since: remove them from tests/data/undocumented_public_names.txt: "
        + ", ".join(fixed)
    )


if __name__ == "__main__":  # regenerate the list: python tests/test_docstrings.py
    LIST.write_text("\n".join(sorted(undocumented())) + "\n", encoding="utf-8")


def test_actor_attribute_sections_agree_with_the_parameter_specs() -> None:
    """The actors' ``Attributes`` sections restate their parameter specs: they must agree.

    The specs (description, unit, range, default) are the one source; the docstrings carry a
    copy for readers of the source and of the generated reference. This keeps the copy true.
    """
    from simulator.model.actors import Leader, Russia, Ukraine, West, WesternGovernment
    from simulator.model.parameters import parameter_specs

    def flat(text: str) -> str:
        return " ".join(text.replace("``", "").split()).lower()

    for cls in (Leader, Russia, Ukraine, WesternGovernment, West):
        doc = flat(cls.__doc__ or "")
        for spec in parameter_specs(cls):
            entry = doc.split(f" {spec.name} : ", 1)
            assert len(entry) == 2, f"{cls.__name__}.{spec.name} is not in its Attributes"
            text = entry[1]
            for part in (spec.description, spec.range_text(), spec.unit):
                assert flat(part) in text[: len(part) + 400], (
                    f"{cls.__name__}.{spec.name}: the docstring does not say {part!r}"
                )
