"""A registry of hooks: how core and the lower apps call code of the apps above them without importing it.

Like Wagtail's `wagtail.hooks`: an app registers a function under a hook name in its own `hooks.py`
(`@register_hook("start_steps", order=30)`), `CoreConfig.ready` imports every installed app's `hooks`
module, and the code that owns the hook asks `get_hooks(name)` for the functions in order. Core and
organisations sit at the bottom of the loop and import no app above them; the apps above plug in here.

The order is explicit because what the hooks produce is shown or run in that order (the start page's
steps, the demo's loaders); functions with the same order keep the order they were registered in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# name -> [(order, sequence, function)]; the sequence keeps registration order among equal orders.
_registry: dict[str, list[tuple[int, int, Callable[..., Any]]]] = {}


def register_hook(name: str, *, order: int = 0) -> Callable[[F], F]:
    """Register the decorated function under `name`. Registering the same function twice is a no-op,
    so importing a hooks module again (a test reloading it) does not run its functions twice."""

    def decorator(fn: F) -> F:
        entries = _registry.setdefault(name, [])
        key = _key(fn)
        if not any(_key(existing) == key for _order, _seq, existing in entries):
            entries.append((order, len(entries), fn))
        return fn

    return decorator


def get_hooks(name: str) -> list[Callable[..., Any]]:
    """The functions registered under `name`, lowest order first; an empty list for an unknown name."""
    return [fn for _order, _seq, fn in sorted(_registry.get(name, []), key=lambda e: (e[0], e[1]))]


def _key(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"
