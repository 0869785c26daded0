"""JSON encoding for frames: compact, ASCII-only (so a frame can never contain a raw newline)."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
import pathlib
from collections.abc import Callable
from typing import Any


def _common_default(value: Any) -> Any:
    """Converts the usual non-JSON types frameworks return; raises TypeError for the rest."""
    dump = getattr(value, "model_dump", None)  # pydantic v2 models (CrewAI, AutoGen)
    if callable(dump):
        return dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, pathlib.PurePath):
        return str(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _lenient_default(value: Any) -> Any:
    """For progress events: anything unknown becomes its string form rather than failing the run."""
    try:
        return _common_default(value)
    except TypeError:
        return str(value)


def _dumps(value: Any, default: Callable[[Any], Any]) -> str:
    return json.dumps(value, default=default, ensure_ascii=True, separators=(",", ":"), allow_nan=False)


def dumps_strict(value: Any) -> str:
    """Encodes outputs and replies; raises TypeError/ValueError for values JSON cannot carry."""
    return _dumps(value, _common_default)


def dumps_lenient(value: Any) -> str:
    """Encodes progress events; unknown objects are stringified."""
    return _dumps(value, _lenient_default)
