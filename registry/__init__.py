"""A linked-data registry for CTDL credential descriptions."""

from .native import use_sources_unless_fresh as _use_sources_unless_fresh

__version__ = "0.1.0"

_use_sources_unless_fresh()  # compiled modules only while they match their sources (registry/native.py)
