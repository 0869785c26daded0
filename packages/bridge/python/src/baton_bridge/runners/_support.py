"""Small helpers shared by the framework runners (crewai, autogen, and any later one).

Free of framework imports so every runner can use them, and of protocol details: a runner
sees only ``target``, ``input`` and ``ctx``.
"""

from __future__ import annotations

import asyncio
import enum
import inspect
import json
from typing import Any

from ..targets import is_imported, resolve_target


class InputError(TypeError):
    """The step input cannot be given to the framework; retrying cannot fix it."""

    baton_kind = "fatal"


async def load_target(target: str) -> Any:
    """Resolves ``module:attr``; the first import (slow for big frameworks) runs in a thread."""
    if is_imported(target):
        return resolve_target(target)
    return await asyncio.to_thread(resolve_target, target)


async def maybe_await(value: Any) -> Any:
    """Awaits ``value`` when it is awaitable (factories may be sync or async)."""
    return await value if inspect.isawaitable(value) else value


def clip(value: Any, limit: int) -> Any:
    """Shortens long strings so progress frames stay small; other values pass through."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "\u2026"
    return value


def jsonable(value: Any, limit: int | None = None) -> Any:
    """Converts framework values (pydantic models, enums, ...) to plain JSON values.

    Pydantic models use ``model_dump(mode="json")``; anything else JSON cannot hold becomes
    its ``str``. With ``limit``, a value whose JSON text is longer becomes that text, clipped.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        result = value
    elif hasattr(value, "model_dump"):
        result = value.model_dump(mode="json")
    elif isinstance(value, enum.Enum):
        result = jsonable(value.value)
    else:
        result = json.loads(json.dumps(value, default=str))
    if limit is not None:
        text = result if isinstance(result, str) else json.dumps(result, default=str)
        if len(text) > limit:
            return clip(text, limit)
    return result
