"""The validation report handed to the rest of the registry."""

from __future__ import annotations

import textwrap
from dataclasses import asdict, dataclass, field

VIOLATION, WARNING, INFO = "Violation", "Warning", "Info"
SEVERITIES = (VIOLATION, WARNING, INFO)
_PLURAL = {VIOLATION: "violations", WARNING: "warnings", INFO: "notes"}


@dataclass(frozen=True)
class Result:
    severity: str  # "Violation" | "Warning" | "Info"
    focus_node: str  # IRI, or _:id for a blank node
    focus_label: str  # e.g. "the resource (Certification)", "requires[0] (ConditionProfile)"
    path: str | None  # compact CURIE, "a|b" for at-least-one-of rules
    property_label: str  # e.g. "Subject Webpage"
    property_definition: str  # from the CTDL vocabulary
    message: str  # plain English
    expected: str
    found: str | None  # what was there instead (None: nothing)
    value: str | None  # the offending value, if the result is about a value
    hint: str | None = None  # how to fix it, in plain words

    def to_json(self) -> dict:
        return asdict(self)


def _count(n: int, severity: str) -> str:
    word = _PLURAL[severity]
    return f"{n} {word[:-1] if n == 1 else word}" if n else f"no {word}"


@dataclass
class Report:
    conforms: bool  # True iff there is no Violation
    results: list[Result] = field(default_factory=list)

    def _of(self, severity: str) -> list[Result]:
        return [r for r in self.results if r.severity == severity]

    @property
    def violations(self) -> list[Result]:
        return self._of(VIOLATION)

    @property
    def warnings(self) -> list[Result]:
        return self._of(WARNING)

    @property
    def infos(self) -> list[Result]:
        return self._of(INFO)

    def to_json(self) -> dict:
        return {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "infos": len(self.infos),
            "results": [r.to_json() for r in self.results],
        }

    def summary(self) -> str:
        counts = [_count(len(self.violations), VIOLATION), _count(len(self.warnings), WARNING)]
        if self.infos:
            counts.append(_count(len(self.infos), INFO))
        return ("Conforms" if self.conforms else "Does not conform") + ": " + ", ".join(counts) + "."

    def to_text(self, width: int = 88) -> str:
        """A report for a terminal: a summary, then one paragraph per result, grouped by severity."""
        lines = [self.summary()]
        for severity in SEVERITIES:
            group = self._of(severity)
            if not group:
                continue
            lines += ["", f"{_PLURAL[severity].upper()} ({len(group)})"]
            for n, result in enumerate(group, start=1):
                lines += [""] + _paragraph(n, result, width)
        return "\n".join(lines) + "\n"


def _paragraph(n: int, r: Result, width: int) -> list[str]:
    prefix = f"{n}. "
    indent = " " * len(prefix)
    where = r.focus_label + (f" - {r.path}" if r.path else "")
    out = [prefix + where]
    out += textwrap.wrap(r.message, width, initial_indent=indent, subsequent_indent=indent)
    detail = f"Expected {r.expected}"
    detail += f"; found {r.found}." if r.found else "; found nothing."
    out += textwrap.wrap(detail, width, initial_indent=indent, subsequent_indent=indent)
    if r.hint:
        out += textwrap.wrap("How to fix: " + r.hint, width, initial_indent=indent, subsequent_indent=indent)
    return out
