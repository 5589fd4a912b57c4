"""A linked-data registry for CTDL credential descriptions."""

from .native import use_compiled_if_fresh as _use_compiled_if_fresh

__version__ = "0.1.0"

_use_compiled_if_fresh()  # the compiled modules, only while they match their sources (registry/native.py)
