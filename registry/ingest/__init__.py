"""Reading CTDL documents: parse, normalise, journal, load."""
