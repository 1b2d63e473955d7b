"""The Jinja environment user templates run in: sandboxed, and bounded in the work it does.

Jinja's sandbox keeps a template away from Python internals but lets it loop for hours
(``range(100000000)`` raises OverflowError, which is no TemplateError, and nested loops under
that limit still run ~10^10 steps) or build strings of gigabytes (``"x" * 10**10``). A real
offer template loops over its lines and taxes; these limits are far above that.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from jinja2.exceptions import SecurityError, TemplateError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

#: Steps all ``range()`` loops of one render may take together.
MAX_LOOP_STEPS = 100_000
#: Items or characters a ``*`` may build, and the largest exponent ``**`` may take.
MAX_SEQUENCE = 1_000_000
MAX_EXPONENT = 100

#: What a user's template can raise while it renders: each is the template's fault, said in
#: one line (``{{ 1 + "a" }}`` is a TypeError, a 5,000-digit number a ValueError).
TEMPLATE_FAILURES = (
    TemplateError,
    ArithmeticError,
    ValueError,
    TypeError,
    LookupError,
    RecursionError,
)
_SIZED = (str, bytes, list, tuple)

_budget: ContextVar[list[int]] = ContextVar("template_loop_budget")


def start_budget() -> None:
    """Give the render about to start in this context its own loop budget."""
    _budget.set([MAX_LOOP_STEPS])


def _bounded_range(*args: int) -> Iterator[int]:
    try:
        steps = range(*args)
    except (TypeError, ValueError) as exc:
        raise SecurityError(f"range{args!r}: {exc}") from None
    budget = _budget.get(None)
    if budget is None:
        budget = [MAX_LOOP_STEPS]
        _budget.set(budget)
    if len(steps) > budget[0]:
        raise SecurityError(
            f"range of {len(steps)} steps: a template may loop at most {MAX_LOOP_STEPS} "
            f"steps in all ({budget[0]} left)"
        )
    budget[0] -= len(steps)
    return iter(steps)


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with ``range``, ``*`` and ``**`` refused beyond the limits above."""

    intercepted_binops = frozenset(["*", "**"])

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _bounded_range

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"** {right}: a template may raise to at most {MAX_EXPONENT}")
        if operator == "*":
            sized = next((v for v in (left, right) if isinstance(v, _SIZED)), None)
            count = next((v for v in (left, right) if isinstance(v, int)), None)
            if sized is not None and count is not None and len(sized) * abs(count) > MAX_SEQUENCE:
                raise SecurityError(
                    f"* {count}: a template may build at most {MAX_SEQUENCE} characters or "
                    "items at once"
                )
        return super().call_binop(context, operator, left, right)
