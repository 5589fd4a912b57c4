"""The example queries shipped with the endpoint (``examples/*.rq``; first line ``# title: ...``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    query: str


@lru_cache(maxsize=1)
def examples() -> tuple[Example, ...]:
    out = []
    for path in sorted(EXAMPLES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        title = first.removeprefix("# title:").strip() if first.startswith("# title:") else path.stem
        out.append(Example(path.stem, title, rest.strip() + "\n"))
    return tuple(out)
