"""Checks every public query passes before it reaches the store.

A fast lexical scan (no full parse): strings, comments and IRIs are skipped, so
``"SERVICE"`` in a literal, ``# SERVICE`` in a comment or ``<http://x/SERVICE>``
in an IRI are not mistaken for the keyword, while ``service``, ``SeRvIcE`` and a
``SERVICE`` nested in any group are found. The store's own parser still rejects
anything malformed; the guard only has to be right about what it looks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# One alternation, tried left to right at each position.
_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
    | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7\u00C0-\uFFFF]*)?:(?:[\w\-.:%\\\u00B7\u00C0-\uFFFF]*[\w\-:%\u00B7\u00C0-\uFFFF])?)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"}
)
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})


class QueryRefused(ValueError):
    """The query may not run here. ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class QueryInfo:
    form: str | None = None  # SELECT / CONSTRUCT / DESCRIBE / ASK
    services: list[str] = field(default_factory=list)  # IRIs (resolved when prefixed) or ?var
    is_update: bool = False


def scan(query: str) -> QueryInfo:
    """Find the query form, the ``SERVICE`` targets and any update operation."""
    info = QueryInfo()
    prefixes: dict[str, str] = {}
    base = ""
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(query)
              if m.lastgroup not in ("ws", "comment")]
    depth = 0
    i = 0
    n = len(tokens)
    while i < n:
        kind, text = tokens[i]
        if kind == "other":
            if text == "{":
                depth += 1
            elif text == "}":
                depth -= 1
        elif kind == "word":
            upper = text.upper()
            if upper == "PREFIX" and i + 2 < n and tokens[i + 1][0] == "pname" and tokens[i + 2][0] == "iri":
                prefixes[tokens[i + 1][1].split(":", 1)[0]] = tokens[i + 2][1][1:-1]
                i += 3
                continue
            if upper == "BASE" and i + 1 < n and tokens[i + 1][0] == "iri":
                base = tokens[i + 1][1][1:-1]
            elif upper in QUERY_FORMS and info.form is None and depth == 0:
                info.form = upper
            elif upper in UPDATE_KEYWORDS and depth == 0 and info.form is None:
                info.is_update = True
            elif upper == "SERVICE":
                j = i + 1
                if j < n and tokens[j][0] == "word" and tokens[j][1].upper() == "SILENT":
                    j += 1
                info.services.append(_target(tokens[j] if j < n else ("other", ""), prefixes, base))
        i += 1
    return info


def _target(token: tuple[str, str], prefixes: dict[str, str], base: str) -> str:
    kind, text = token
    if kind == "iri":
        iri = text[1:-1]
        if base and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri):
            iri = base + iri
        return iri
    if kind == "pname":
        prefix, _, local = text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
        return text
    if kind == "var":
        return text
    return text or "?"


def check(query: str, *, max_length: int = 100_000, allowed_services: frozenset[str] = frozenset()) -> QueryInfo:
    """Refuse what must not run; return what the scan found."""
    if len(query) > max_length:
        raise QueryRefused(f"The query is {len(query):,} characters; the limit is {max_length:,}.", 413)
    info = scan(query)
    if info.is_update:
        raise QueryRefused("This endpoint is read-only: SPARQL updates are not accepted.", 403)
    for target in info.services:
        if target.startswith(("?", "$")):
            raise QueryRefused(f"SERVICE {target}: a variable endpoint is not allowed; name an allowed endpoint.")
        if target not in allowed_services:
            if not allowed_services:
                raise QueryRefused(
                    f"SERVICE <{target}> refused: federated queries are not enabled on this registry "
                    "(the operator allows endpoints with `registry serve --federate IRI`)."
                )
            raise QueryRefused(
                f"SERVICE <{target}> refused: not on this registry's allow-list ("
                + ", ".join(sorted(allowed_services)) + ")."
            )
    return info
