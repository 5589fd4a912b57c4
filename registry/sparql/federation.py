"""Which endpoints ``SERVICE`` may reach: the operator's allow-list, checked against address classes.

An endpoint is allowed only if the operator listed it (``registry serve --federate IRI`` or
``federate = [...]`` in ``registry.toml``). Even then, an endpoint whose host resolves to a
loopback, private, link-local, unique-local, multicast or cloud-metadata address is refused
unless the operator also set ``--federate-private`` (``federate_private = true``): a registry
must not become a way into the network it runs in. The address check is repeated when a query
runs (cached for a minute), so a name that later resolves elsewhere is caught.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

METADATA_HOSTS = {"169.254.169.254", "fd00:ec2::254", "metadata.google.internal", "metadata"}
_TTL = 60.0


class FederationRefused(ValueError):
    pass


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FederationRefused(f"{host}: cannot be resolved ({exc.strerror})") from None
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def internal_reason(host: str) -> str | None:
    """Why ``host`` is internal (loopback, private...), or None if every address is public."""
    if host.lower() in METADATA_HOSTS:
        return "a cloud metadata address"
    for addr in _addresses(host):
        if str(addr) in METADATA_HOSTS:
            return "a cloud metadata address"
        if addr.is_loopback:
            return f"a loopback address ({addr})"
        if addr.is_unspecified or addr.is_multicast:
            return f"a reserved address ({addr})"
        if addr.is_link_local:
            return f"a link-local address ({addr})"
        if addr.is_private:
            return f"a private address ({addr})"
        if addr.is_reserved:
            return f"a reserved address ({addr})"
    return None


@dataclass
class Federation:
    endpoints: frozenset[str] = frozenset()
    allow_private: bool = False
    _checked: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_config(cls, endpoints, allow_private: bool = False) -> "Federation":
        fed = cls(frozenset(endpoints), allow_private)
        for iri in fed.endpoints:
            fed.check(iri, cache=False)
        return fed

    def check(self, iri: str, *, cache: bool = True) -> None:
        """Raise :class:`FederationRefused` unless ``iri`` may be queried now."""
        if iri not in self.endpoints:
            raise FederationRefused(f"<{iri}> is not on this registry's allow-list")
        parts = urlsplit(iri)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FederationRefused(f"<{iri}> is not an http(s) endpoint")
        if cache and time.monotonic() - self._checked.get(iri, -_TTL) < _TTL:
            return
        if not self.allow_private:
            reason = internal_reason(parts.hostname)
            if reason:
                raise FederationRefused(
                    f"<{iri}> resolves to {reason}; allow internal endpoints explicitly with --federate-private")
        self._checked[iri] = time.monotonic()
