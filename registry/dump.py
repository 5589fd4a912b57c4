"""The whole registry as gzipped N-Quads (one named graph per resource), streamed."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from .store import Store

FILENAME = "registry.nq.gz"


def nquads_gz(store: Store) -> Iterator[bytes]:
    """Gzip-compressed N-Quads chunks of every resource graph."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: a gzip container
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
