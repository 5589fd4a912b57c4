"""The pinned JSON-LD contexts: CTDL's context URLs resolve to shipped copies.

Nothing is ever fetched. A document whose ``@context`` names any other remote
URL is refused with :class:`UnknownContext`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from ..paths import CONTEXTS_DIR

# Every spelling of the two context URLs seen in published CTDL.
_CONTEXT_FILES = {
    "credreg.net/ctdl/schema/context/json": "ctdl-context.jsonld",
    "credreg.net/ctdlasn/schema/context/json": "ctdlasn-context.jsonld",
}


class UnknownContext(ValueError):
    """A remote ``@context`` the registry does not ship."""

    def __init__(self, url: str):
        super().__init__(
            f"@context {url!r} is not a context this registry knows; it is never fetched. "
            "Use https://credreg.net/ctdl/schema/context/json or "
            "https://credreg.net/ctdlasn/schema/context/json, or an inline context object."
        )
        self.url = url


def _key(url: str) -> str:
    key = url.strip()
    for scheme in ("https://", "http://"):
        if key.startswith(scheme):
            key = key[len(scheme):]
    return key.rstrip("/").removeprefix("www.")


@lru_cache(maxsize=None)
def _load(filename: str) -> dict[str, Any]:
    with open(CONTEXTS_DIR / filename, encoding="utf-8") as fh:
        return json.load(fh)["@context"]


def pinned_context(url: str) -> dict[str, Any]:
    """The inline context object for a known context URL."""
    filename = _CONTEXT_FILES.get(_key(url))
    if filename is None:
        raise UnknownContext(url)
    return _load(filename)


def is_known(url: str) -> bool:
    return _key(url) in _CONTEXT_FILES


def inline_contexts(value: Any, depth: int = 0) -> Any:
    """Return ``value`` with every ``@context`` URL replaced by its pinned copy.

    Walks nested nodes too (a context may appear anywhere). Raises
    :class:`UnknownContext` for any remote context that is not pinned.
    """
    if isinstance(value, list):
        return [inline_contexts(item, depth + 1) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key == "@context":
            out[key] = _resolve(item)
        else:
            out[key] = inline_contexts(item, depth + 1)
    return out


def _resolve(ctx: Any) -> Any:
    if isinstance(ctx, str):
        return pinned_context(ctx)
    if isinstance(ctx, list):
        return [_resolve(item) for item in ctx]
    if isinstance(ctx, dict):
        # An inline context may itself import another (``@import``, 1.1).
        if "@import" in ctx:
            raise UnknownContext(str(ctx["@import"]))
        return ctx
    return ctx
