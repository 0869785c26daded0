"""Runner registry.

A runner adapts one framework to the bridge. It is a class with

- ``name: str`` - the name clients use (``runner`` in the run request),
- ``framework_versions(self) -> dict[str, str]`` - e.g. ``{"crewai": "1.15.30"}``,
- ``async def run(self, target: str, input: Any, ctx: RunContext) -> RunResult``.

Runners register with :func:`register_runner`. Builtins (``crewai``, ``autogen``, ``callable`` and
the test runners ``echo``/``sleep``/``fail``) are imported lazily on first use, so a missing
framework only matters to the runner that needs it. A runner name of the form ``module:Class``
is imported and registered on demand, and the entry-point group ``baton_bridge.runners`` is
consulted for any other unknown name.
"""

from __future__ import annotations

import importlib
import threading
from importlib import metadata
from typing import Any, Protocol, TypedDict, runtime_checkable

from ..context import RunContext
from ..errors import FrameworkMissingError, RunnerNotFoundError, TargetError
from ..targets import resolve_target


class RunResult(TypedDict, total=False):
    """What `Runner.run` returns: the JSON-serializable `output` and optional token `usage`
    (``{"inputTokens", "outputTokens", "totalTokens", "model"}``; snake_case keys are accepted)."""

    output: Any
    usage: dict[str, Any] | None


@runtime_checkable
class Runner(Protocol):
    """The interface every runner implements (instantiated once per worker, without arguments)."""

    name: str

    def framework_versions(self) -> dict[str, str]: ...

    async def run(self, target: str, input: Any, ctx: RunContext) -> RunResult: ...


#: Runner name -> module that registers it when imported.
BUILTIN_RUNNERS: dict[str, str] = {
    "crewai": "baton_bridge.runners.crewai",
    "autogen": "baton_bridge.runners.autogen",
    "callable": "baton_bridge.runners.callable",
    "echo": "baton_bridge.runners.testing",
    "sleep": "baton_bridge.runners.testing",
    "fail": "baton_bridge.runners.testing",
}

#: What to tell the user when a builtin runner's framework is missing.
INSTALL_HINTS: dict[str, str] = {
    "crewai": 'pip install "baton-bridge[crewai]"  (i.e. pip install crewai)',
    "autogen": 'pip install "baton-bridge[autogen]"  (i.e. pip install autogen-agentchat autogen-ext)',
}

_classes: dict[str, type] = {}
_instances: dict[str, Any] = {}
_lock = threading.RLock()


def register_runner(cls: type, *, name: str | None = None, replace: bool = False) -> type:
    """Registers a runner class under `name` (default: `cls.name`). Usable as a decorator."""
    key = name or getattr(cls, "name", None)
    if not isinstance(key, str) or not key:
        raise ValueError(f"runner class {cls!r} has no 'name' string attribute")
    with _lock:
        if key in _classes and _classes[key] is not cls and not replace:
            raise ValueError(f"a runner named {key!r} is already registered ({_classes[key]!r})")
        _classes[key] = cls
        _instances.pop(key, None)
    return cls


def registered_runners() -> list[str]:
    """Names of runners registered so far plus the builtins (which load lazily)."""
    with _lock:
        return sorted(set(_classes) | set(BUILTIN_RUNNERS))


def get_runner(name: str) -> Runner:
    """Returns the (cached) runner instance for `name`, importing it if needed.

    Raises RunnerNotFoundError, or FrameworkMissingError when its framework is not installed.
    Blocking on first use (imports); call it from a thread when the loop must stay responsive.
    """
    with _lock:
        instance = _instances.get(name)
        if instance is not None:
            return instance
        if name not in _classes:
            _load(name)
        cls = _classes.get(name)
        if cls is None:
            raise RunnerNotFoundError(name, f"known runners: {', '.join(registered_runners())}")
        instance = cls()
        _instances[name] = instance
        return instance


def is_loaded(name: str) -> bool:
    """True when `get_runner(name)` will not import anything."""
    with _lock:
        return name in _instances


def _load(name: str) -> None:
    if name in BUILTIN_RUNNERS:
        _import_runner_module(name, BUILTIN_RUNNERS[name])
    elif ":" in name:
        try:
            cls = resolve_target(name)
        except TargetError as error:
            raise RunnerNotFoundError(name, error.message) from error
        register_runner(cls, name=name)
    else:
        for entry in metadata.entry_points(group="baton_bridge.runners", name=name):
            register_runner(entry.load(), name=name)
            break


def _import_runner_module(name: str, module: str) -> None:
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if missing == module or module.startswith(missing + "."):
            raise RunnerNotFoundError(name, f"module {module} is not available") from error
        hint = INSTALL_HINTS.get(name, f"pip install {missing.split('.')[0]}")
        raise FrameworkMissingError(missing.split(".")[0], hint, runner=name) from error
    except ImportError as error:
        # Usually an incompatible framework version ("cannot import name ...").
        hint = INSTALL_HINTS.get(name, "reinstall a compatible version")
        raise FrameworkMissingError(
            getattr(error, "name", None) or name, hint, runner=name, detail=str(error)
        ) from error


__all__ = [
    "BUILTIN_RUNNERS",
    "INSTALL_HINTS",
    "RunResult",
    "Runner",
    "get_runner",
    "is_loaded",
    "register_runner",
    "registered_runners",
]
