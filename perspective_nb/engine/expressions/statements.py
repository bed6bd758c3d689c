"""Statements of the expression language: variables, vectors, conditionals, loops.

:class:`Statements` is mixed into :class:`.compiler.Context`. Conditionals
evaluate both branches over all rows and select with ``if_else``; variables
(and vector elements, stored as ``name[k]`` variables) assigned inside
branches are merged the same way, so ``if``/``else`` with assignments stays
vectorised. Loops run while any row's condition holds, masking the rows
that are done.

Pure pyarrow; must not import the compiler (which imports this).
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from . import nodes as n
from .operators import binary
from .registry import type_error_prefix
from .values import ARROW_TYPES, Val, as_float, condition, null_of, scalar_val

__all__ = ["Statements", "coerce", "unify"]

_MAX_ITERATIONS = 100_000


def unify(a: Val, b: Val) -> str | None:
    """The type both branches of a conditional can take, or None."""
    if a.ptype == b.ptype:
        return a.ptype
    if a.ptype == "null":
        return b.ptype
    if b.ptype == "null":
        return a.ptype
    if {a.ptype, b.ptype} == {"integer", "float"}:
        return "float"
    return None


def coerce(val: Val, ptype: str) -> object:
    """The data of ``val`` in the storage type of ``ptype`` (after :func:`unify`)."""
    if val.ptype == ptype:
        return val.data
    if val.ptype == "null":
        return null_of(ptype)
    return pc.cast(val.data, ARROW_TYPES[ptype])


class Statements:
    """Evaluation of statement nodes; needs ``evaluate``, ``error``,
    ``variables``, ``vector_sizes`` and ``length`` from the host class."""

    variables: dict[str, Val]
    vector_sizes: dict[str, int]
    length: int
    evaluate: Callable[[n.Node], Val]
    error: Callable[[n.Node, str], Exception]

    def _eval_conditional(self, node: n.Conditional) -> Val:
        if node.otherwise is None:
            raise self.error(
                node,
                f"{type_error_prefix}: 'if' without 'else' has no value when false; add an else",
            )
        cond = condition(self.evaluate(node.condition))
        before = dict(self.variables)
        then = self.evaluate(node.then)
        after_then = self.variables
        self.variables = dict(before)
        otherwise = self.evaluate(node.otherwise)
        after_else = self.variables
        ptype = unify(then, otherwise)
        if ptype is None:
            raise self.error(
                node,
                f"{type_error_prefix}: the branches of this conditional have different types "
                f"({then.ptype} and {otherwise.ptype}); convert one of them",
            )
        # Merge variables that either branch changed, row by row.
        merged = dict(before)
        for name, old in before.items():
            a, b = after_then.get(name, old), after_else.get(name, old)
            if a is b:
                merged[name] = a
                continue
            vtype = unify(a, b)
            if vtype is None:
                raise self.error(node, f"Variable '{name}' takes different types in the branches")
            merged[name] = Val(pc.if_else(cond, coerce(a, vtype), coerce(b, vtype)), vtype)
        self.variables = merged
        return Val(pc.if_else(cond, coerce(then, ptype), coerce(otherwise, ptype)), ptype)

    def _eval_block(self, node: n.Block) -> Val:
        result = None
        for statement in node.statements:
            result = self.evaluate(statement)
        assert result is not None  # the parser never builds an empty block
        return result

    def vector_items(self, name: str) -> list[Val]:
        """Current elements of the vector variable ``name``."""
        return [self.variables[f"{name}[{k}]"] for k in range(self.vector_sizes[name])]

    def set_vector_item(self, name: str, k: int, value: Val) -> None:
        """Store ``value`` (a number) as element ``k`` of vector ``name``."""
        self.variables[f"{name}[{k}]"] = value

    def _element_key(self, node: n.Node, name: str, index: n.Node) -> str:
        if name not in self.vector_sizes:
            raise self.error(node, f"Undefined symbol: '{name}' is not a vector variable")
        position = self.evaluate(index)
        if not position.is_numeric or not position.is_scalar or not position.data.is_valid:
            raise self.error(node, f"The index of vector '{name}' must be a constant number")
        k = int(position.data.as_py())
        size = self.vector_sizes[name]
        if not 0 <= k < size:
            raise self.error(node, f"Index of {k} out of range for vector '{name}' of size {size}")
        return f"{name}[{k}]"

    def _eval_element(self, node: n.Element) -> Val:
        return self.variables[self._element_key(node, node.name, node.index)]

    def _declare_vector(self, node: n.Declare) -> Val:
        size = node.size or 0
        items = node.value.items if isinstance(node.value, n.VectorLit) else ()
        if size < 1 or len(items) > size:
            raise self.error(
                node, f"Vector '{node.name}' of size {size} cannot hold {len(items)} values"
            )
        self.vector_sizes[node.name] = size
        for k in range(size):
            value = self.evaluate(items[k]) if k < len(items) else scalar_val(0.0, "float")
            if not value.is_numeric:
                raise self.error(node, f"Vector '{node.name}' holds numbers, got {value.ptype}")
            self.set_vector_item(node.name, k, Val(as_float(value), "float"))
        return Val(pa.scalar(None, pa.float64()), "vector", literal=node.name)

    def _eval_declare(self, node: n.Declare) -> Val:
        if node.size is not None:
            return self._declare_vector(node)
        value = scalar_val(0.0, "float") if node.value is None else self.evaluate(node.value)
        self.variables[node.name] = value
        return value

    def _eval_assign(self, node: n.Assign) -> Val:
        if node.index is not None:
            key = self._element_key(node, node.name, node.index)
            value = self.evaluate(node.value)
            if node.op != ":=":
                fail = lambda m: self.error(node, m)  # noqa: E731
                value = binary(node.op[0], self.variables[key], value, self.length, fail)
            if not value.is_numeric:
                raise self.error(node, f"Vector '{node.name}' holds numbers, got {value.ptype}")
            self.variables[key] = Val(as_float(value), "float")
            return self.variables[key]
        if node.name not in self.variables:
            raise self.error(
                node,
                f"Undefined symbol: '{node.name}'; declare it first with 'var {node.name} := ...'",
            )
        value = self.evaluate(node.value)
        if node.op != ":=":
            current = self.variables[node.name]
            value = binary(node.op[0], current, value, self.length, lambda m: self.error(node, m))
        old = self.variables[node.name]
        if unify(old, value) is None:
            raise self.error(
                node,
                f"{type_error_prefix}: variable '{node.name}' holds {old.ptype}, cannot assign "
                f"{value.ptype}",
            )
        self.variables[node.name] = value
        return value

    def _eval_loop(self, node: n.Loop) -> Val:
        """``for``/``while``: iterate while any row's condition holds.

        Rows whose condition is false keep their variables (masked with
        ``if_else``), so per-row loop counts stay vectorised: the cost is one
        pass per iteration of the longest-running row.
        """
        if node.init is not None:
            self.evaluate(node.init)
        for _ in range(_MAX_ITERATIONS):
            cond = condition(self.evaluate(node.condition))
            if isinstance(cond, pa.Scalar):
                if not cond.as_py():
                    return Val(pa.scalar(None, pa.float64()), "null")
            elif not pc.any(cond).as_py():
                return Val(pa.scalar(None, pa.float64()), "null")
            before = dict(self.variables)
            self.evaluate(node.body)
            if node.step is not None:
                self.evaluate(node.step)
            if not isinstance(cond, pa.Scalar):
                for name, old in before.items():
                    new = self.variables[name]
                    if new is old:
                        continue
                    vtype = unify(old, new)
                    if vtype is None:
                        raise self.error(node, f"Variable '{name}' changes type inside the loop")
                    self.variables[name] = Val(
                        pc.if_else(cond, coerce(new, vtype), coerce(old, vtype)), vtype
                    )
        raise self.error(node, f"Loop did not finish after {_MAX_ITERATIONS} iterations")
