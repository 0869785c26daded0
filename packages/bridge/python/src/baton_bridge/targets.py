"""Resolving user targets written as `package.module:attribute[.attribute...]`."""

from __future__ import annotations

import importlib
import sys
from typing import Any

from .errors import FrameworkMissingError, TargetError


def parse_target(target: Any) -> tuple[str, list[str]]:
    """Splits `module:attr.path`; raises TargetError when malformed."""
    if not isinstance(target, str) or target.count(":") != 1:
        raise TargetError(str(target), "expected 'module:attribute' (e.g. 'my_pkg.crews:build_crew')")
    module, attr = target.split(":")
    parts = attr.split(".")
    if (
        not module
        or not all(part.isidentifier() for part in parts)
        or not all(part.isidentifier() for part in module.split("."))
    ):
        raise TargetError(target, "expected 'module:attribute' with Python identifiers on both sides")
    return module, parts


def _import_module(target: str, module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if missing == module or module.startswith(missing + "."):
            raise TargetError(target, f"module {module!r} not found (check pythonPath / cwd)") from error
        # The target module exists but imports something that is not installed.
        root = missing.split(".")[0]
        raise FrameworkMissingError(root, f"pip install {root}", detail=f"imported by {module!r}") from error
    except Exception as error:  # noqa: BLE001 - any import-time failure makes the target unusable
        raise TargetError(target, f"importing {module!r} failed: {type(error).__name__}: {error}") from error


def resolve_target(target: str) -> Any:
    """Imports the module and walks the attribute path. Blocking (imports can be slow)."""
    module_name, parts = parse_target(target)
    value = _import_module(target, module_name)
    for part in parts:
        try:
            value = getattr(value, part)
        except AttributeError as error:
            raise TargetError(target, f"{type(value).__name__} has no attribute {part!r}") from error
    return value


def is_imported(target: str) -> bool:
    """True when the target's module is already imported (so resolving it will not block)."""
    module_name: str | None
    try:
        module_name, _ = parse_target(target)
    except TargetError:
        return True  # resolving fails fast anyway
    return module_name in sys.modules
