"""The whole registry as gzipped N-Quads (one named graph per resource), streamed."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from .compression import GZIP_LEVEL, deflate
from .store import Store

FILENAME = "registry.nq.gz"


def gzip_compressor():
    """A streaming compressor whose output is one gzip member (``compress``, then ``flush``)."""
    return deflate.compressobj(GZIP_LEVEL, deflate.DEFLATED, 31)  # 31: a gzip container


def gzip_member(data: bytes) -> bytes:
    """``data`` as one whole gzip member (a file of several members, one after the other, is one
    gzip stream to every reader: RFC 1952, section 2.2)."""
    compressor = gzip_compressor()
    return compressor.compress(data) + compressor.flush()


def nquads_gz(store: Store) -> Iterator[bytes]:
    """Gzip-compressed N-Quads chunks of every resource graph."""
    compressor = gzip_compressor()
    for quads in store.quads():
        data = compressor.compress(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
        if data:
            yield data
    yield compressor.flush()


def write_dump(store: Store, path: Path) -> int:
    """Write the dump to ``path`` (atomically); return its size in bytes."""
    tmp = path.with_suffix(".tmp")
    size = 0
    with open(tmp, "wb") as fh:
        for chunk in nquads_gz(store):
            fh.write(chunk)
            size += len(chunk)
    tmp.replace(path)
    return size
