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


def inline_contexts(value: Any) -> Any:
    """Return ``value`` with every ``@context`` URL replaced by its pinned copy.

    Walks nested nodes too (a context may appear anywhere). Raises
    :class:`UnknownContext` for any remote context that is not pinned.

    The pinned copy is pruned to what this document can use: every prefix, and
    each term that appears as a key or a string value anywhere in it. The CTDL
    context has some 600 terms; processing all of them for every document would
    cost three times the parse itself, and the triples are the same.
    """
    used: set[str] = set()
    _tokens(value, used)
    return _inline(value, used)


def _tokens(value: Any, out: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            out.add(key)
            if key != "@context":
                _tokens(item, out)
    elif isinstance(value, list):
        for item in value:
            _tokens(item, out)
    elif isinstance(value, str):
        out.add(value)


def _inline(value: Any, used: set[str]) -> Any:
    if isinstance(value, list):
        return [_inline(item, used) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key == "@context":
            out[key] = _resolve(item, used)
        else:
            out[key] = _inline(item, used)
    return out


@lru_cache(maxsize=None)
def _always(filename: str) -> dict[str, Any]:
    """The entries every document keeps: prefixes and keywords."""
    return {k: v for k, v in _load(filename).items() if isinstance(v, str) or k.startswith("@")}


def _pruned(url: str, used: set[str]) -> dict[str, Any]:
    filename = _CONTEXT_FILES.get(_key(url))
    if filename is None:
        raise UnknownContext(url)
    full = _load(filename)
    out = dict(_always(filename))
    for token in used:
        definition = full.get(token)
        if definition is not None:
            out[token] = definition
    return out


def _resolve(ctx: Any, used: set[str]) -> Any:
    if isinstance(ctx, str):
        return _pruned(ctx, used)
    if isinstance(ctx, list):
        return [_resolve(item, used) for item in ctx]
    if isinstance(ctx, dict):
        # An inline context may itself import another (``@import``, 1.1).
        if "@import" in ctx:
            raise UnknownContext(str(ctx["@import"]))
        return ctx
    return ctx
