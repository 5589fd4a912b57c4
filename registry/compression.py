"""Which deflate the registry uses: ISA-L's where its wheel is installed, else zlib's.

Both write the same zlib and gzip streams; ISA-L's takes about a third of the CPU. The journal
keeps each graph's N-Triples deflated (:mod:`registry.ingest.journal`), and the dump is gzipped
N-Quads (:mod:`registry.dump`): at 100,000 resources (2 GB of N-Quads) 2 s of CPU where zlib's
fastest level took 9.
"""

try:
    from isal import isal_zlib as deflate

    GZIP_LEVEL = 2  # of 0-3: 0.109 of the size, where zlib's level 1 gives 0.114
except ImportError:  # a platform without its wheel
    import zlib as deflate

    GZIP_LEVEL = 1

__all__ = ["deflate", "GZIP_LEVEL"]
