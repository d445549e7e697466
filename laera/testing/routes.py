"""Every named URL of the project, found from the URL configuration, and how to fill in its keywords.

Tests that walk the URLs (the cross-organisation harness, the spreadsheet-export check) use this, so a
page added later is walked without editing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .world import World, url_objects

SKIPPED_NAMESPACES = {"admin"}  # the operator's admin site has its own sign-in and is tested apart


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def walk(resolver: URLResolver, namespace: str, converters: tuple[str, ...]) -> list[Route]:
    """The named URL patterns below `resolver`, with the keywords each needs (its parents' too)."""
    routes: list[Route] = []
    for entry in resolver.url_patterns:
        names = converters + tuple(getattr(entry.pattern, "converters", {}).keys())
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            full = f"{namespace}:{ns}" if namespace and entry.namespace else ns
            routes.extend(walk(entry, full, names))
        elif isinstance(entry, URLPattern) and entry.name:
            routes.append(Route(f"{namespace}:{entry.name}" if namespace else entry.name, names))
    return routes


def all_routes() -> list[Route]:
    return walk(get_resolver(), "", ())


def route_url(route: Route, world: World, objects_from: World | None = None, **values: Any) -> str:
    """The route's URL in `world`'s organisation, with the objects of `objects_from` (default: `world`);
    `values` fill in or replace keywords (`fmt="xlsx"`)."""
    source = url_objects(objects_from or world)
    kwargs: dict[str, Any] = {}
    for name in route.kwargs:
        if name in values:
            kwargs[name] = values[name]
        elif name == "org_slug":
            kwargs[name] = world.organisation.slug
        else:
            kwargs[name] = source[name]
    return reverse(route.name, kwargs=kwargs)
