"""A linked-data registry for CTDL credential descriptions."""

__version__ = "0.1.0"
