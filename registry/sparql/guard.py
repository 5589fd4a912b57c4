"""Checks every public query passes before it reaches the store.

A lexical scan, not a parse, that must split a query exactly where the store's parser
(Oxigraph's spargebra, a PEG parser) does: a ``SERVICE`` the store would run must be found,
and text the store reads as a string, comment, IRI or name must not be taken for one.
Where the two readings could differ, the guard refuses instead (``QueryInfo.problem``).
What it handles, and why (each rule was checked against pyoxigraph): ``docs/sparql.md``,
"How the guard reads a query". In short:

* strings (4 forms), comments, IRIs (with ``\\u`` escapes) and prefixed names (with
  ``\\#``-style escapes) are skipped whole; an unterminated string is refused;
* a ``\\`` anywhere else is refused: Oxigraph (like SPARQL 1.2) rejects codepoint escapes
  outside strings and IRIs, but a SPARQL 1.1 store decodes them first. Queries with escapes
  inside strings or IRIs are also scanned in that decoded reading, and both must pass;
* keywords glued to the next token (``SERVICE:x {``, ``SERVICEsilent<x>``, ``trueSERVICE``,
  ``1e5SERVICE``) are found, as Oxigraph's parser backtracks into them;
* ``<`` is less-than only inside an expression, after an operand. An IRI-looking ``<...>`` in
  that position whose text has ``'`` or ``#`` (which would start a string or comment in the
  other reading) is refused unless the two readings provably meet again;
* ``BASE``/``PREFIX`` are read only in the prologue, IRIs resolved per RFC 3986.

How it stays cheap (a query that names ``SERVICE`` costs tens of microseconds):

* The scan is linear: every pattern is possessive. Dull stretches (whitespace, brackets,
  comments, closed strings, plain IRIs, variables, names that are not keywords of interest)
  are consumed by ONE match of ``_SKIP``, so the Python loop runs once per *event*: a
  keyword-like name, an IRI with ``'`` or ``#`` in it, an unterminated string or a stray ``\\``.
* Only two events depend on the brackets around them: an IRI that would be ambiguous after a
  value inside an expression (``(`` depth, ``VALUES`` rows), and a query form or update keyword
  while the query form is not yet known (brace depth). For those, ``_Brackets.catch_up``
  re-reads the stretch since its last stop with ``_TOKEN``: the same tokenizer, except that
  brackets and comments are tokens of their own. ``_SKIP``'s tokens are unions of ``_TOKEN``'s,
  so both reach every event at the same offset (checked: a mismatch refuses the query). Each
  character is read at most twice, and most queries are never re-read.
* The patterns suit Python's ``re`` engine: each alternative of a dull piece starts with a
  class or a literal (a failing one is rejected at the first character), runs are matched as
  runs, long negated runs (string bodies, comments) are positive ranges (``_none_of``), and
  keywords are explicit classes (``_ci``) instead of ``(?i:...)``: the same characters, faster.
* ``PREFIX`` IRIs are resolved only when a ``SERVICE`` target uses the prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def _ci(word: str) -> str:
    """``(?i:word)`` as explicit classes. Python's case folding also matches U+0130 and U+0131
    for i, U+017F for s and U+212A for k: kept, so the classes match exactly what (?i) did."""
    fold = {"i": "iI\u0130\u0131", "k": "kK\u212a", "s": "sS\u017f"}
    return "".join(f"[{fold.get(c, c + c.upper())}]" for c in word)


def _none_of(chars: str) -> str:
    """``[^chars]`` spelled as positive ranges over every code point, which ``re`` tests faster."""
    out, low = [], 0
    for c in sorted(set(map(ord, chars))) + [0x110000]:
        if low < c:
            out.append(f"\\U{low:08x}" + (f"-\\U{c - 1:08x}" if c - 1 > low else ""))
        low = c + 1
    return "[" + "".join(out) + "]"


# --- Lexical pieces (SPARQL 1.1 grammar as Oxigraph implements it) ------------------------------
_B = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
      "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")  # PN_CHARS_BASE
_U = _B + "_"  # PN_CHARS_U
_C = _U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"  # PN_CHARS
_V = _U + "0-9\u00B7\u0300-\u036F\u203F-\u2040"  # VARNAME characters
_NOT_EOL = _none_of("\r\n")
_WS = r"[ \t\r\n]*+"  # (after a dull piece: one piece instead of two)
_WSC = rf"(?:[ \t\r\n]++|\#{_NOT_EOL}*+)*+"  # whitespace and comments
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%]"
_PREFIX = rf"[{_B}][{_C}]*+(?:\.++[{_C}]++)*+"  # PN_PREFIX
# Oxigraph's PN_LOCAL allows ONE run of dots inside: e:a.b.c is e:a.b, '.', c.
_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:[{_C}:]++|{_PLX})*+(?:\.++(?:[{_C}:]++|{_PLX})++)?+"
_PNAME = rf"(?:{_PREFIX})?+:(?:{_LOCAL})?+"
_NAME = rf"{_PREFIX}(?::(?:{_LOCAL})?+)?+|:(?:{_LOCAL})?+"  # a prefixed name, or a keyword-like word
_IRI_CHARS = "<>\"{}|^`\\" + "".join(map(chr, range(0x21)))  # not allowed in an IRI
_IRI_BODY = rf"(?:{_none_of(_IRI_CHARS)}++|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*+"
_IRI = rf"<{_IRI_BODY}>"
_VAR = rf"[?$][{_V}]*+"
_LONG1, _LONG2 = _none_of("'\\"), _none_of('"\\')  # string bodies: runs between escapes and quotes
_SHORT1, _SHORT2 = _none_of("'\\\r\n"), _none_of('"\\\r\n')
_STRINGS = (rf"'''{_LONG1}*+(?:(?:\\.|'(?!'')){_LONG1}*+)*+'''{_WS}" rf'|"""{_LONG2}*+(?:(?:\\.|"(?!"")){_LONG2}*+)*+"""{_WS}'
            rf"|'(?:\\.|{_SHORT1}++)*+'{_WS}" rf'|"(?:\\.|{_SHORT2}++)*+"{_WS}')
_NUMBER = (r"[0-9][0-9]*+(?:\.[0-9]*+[eE][+-]?+[0-9]++|\.[0-9]++(?:[eE][+-]?+[0-9]++)?+|[eE][+-]?+[0-9]++)?+"
           r"|\.[0-9]++(?:[eE][+-]?+[0-9]++)?+")
# Names that may be (or hide, glued to what follows) a keyword the guard acts on, by first letter.
_KEYWORD_TAILS = (("s", ("ervice", "elect")), ("p", ("refix",)), ("b", ("ase",)), ("v", ("alues",)),
                  ("c", ("onstruct", "lear", "reate", "opy")), ("d", ("escribe", "elete", "rop")),
                  ("a", ("sk", "dd")), ("i", ("nsert",)), ("l", ("oad",)), ("m", ("ove",)), ("w", ("ith",)))
_KEYWORDS = "(?:" + "|".join(_ci(first) + "(?:" + "|".join(_ci(rest) for rest in rests) + ")"
                             for first, rests in _KEYWORD_TAILS) + "|true|false)"
# A name starting with a keyword's first letter, but not with any keyword's first two letters: as
# (?!{_KEYWORDS}) would find, but with a look-ahead at one character only (faster).
_NOT_KEYWORD_START = "(?:" + "|".join(
    [_ci(first) + "(?!" + _ci("".join(sorted({rest[0] for rest in rests}))).replace("][", "") + ")"
     for first, rests in _KEYWORD_TAILS] + ["t(?!r)", "f(?!a)"]) + ")"
# Names that are not keywords: ASCII letters no keyword starts with (no look-ahead needed: fast), a
# name with an empty prefix, and (last, as the look-aheads are slower) any other name not starting with
# a keyword: first the quick test on two letters, then the full one.
_DULL_NAME_REST = rf"[{_C}]*+(?:\.++(?!{_KEYWORDS})[{_C}]++)*+(?::(?:{_LOCAL})?+)?+"
_PUNCTUATION = rf"[^'\"<\#\\{{}}():?$@0-9_{_B}]"  # operators, punctuation, whitespace
# One piece of a dull stretch. Each alternative but the last two starts with a class or a literal, so the
# engine drops a failing one at the first character. Alternatives that can start with the same
# character keep their order (whitespace and punctuation; '.' in punctuation and numbers; the three
# '<'; '_:' and '_'; the two name forms); the others are ordered by how often they occur.
_DULL_PIECE = rf"""
      [ \t\r\n][ \t\r\n]*+ | [EFGHJKNOQRTUXYZeghjknoqruxyz]{_DULL_NAME_REST}{_WS} | {_VAR}{_WS} | {_STRINGS}
    | {_PUNCTUATION}{_PUNCTUATION}*+ | <(?=<)(?:<(?=<))*+ | <(?:{_none_of(_IRI_CHARS + "#'")}++|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*+>{_WS}
    | <(?!{_IRI_BODY}>) | {_NUMBER} | :(?:{_LOCAL})?+{_WS} | _:[{_U}0-9][{_C}]*+(?:\.++[{_C}]++)*+ | _
    | @(?:[A-Za-z]++(?:-[A-Za-z0-9]++)*+)?+ | {_NOT_KEYWORD_START}{_DULL_NAME_REST}{_WS} | (?!{_KEYWORDS})[{_B}]{_DULL_NAME_REST}"""
_EVENTS = rf"""
    | (?P<iri>{_IRI})
    | (?P<name>{_NAME})
    | (?P<string>['"])
    | (?P<other>.)"""
# The exact tokenizer, for _Brackets: brackets and comments are tokens of their own.
_TOKEN = re.compile(
    rf"""
      (?P<brackets>[{{}}()][{{}}() \t\r\n]*+)
    | (?P<dull>(?:{_DULL_PIECE})++)
    | (?P<comment>(?:\#{_NOT_EOL}*+[ \t\r\n]*+)++)
    {_EVENTS}
    """,
    re.VERBOSE | re.DOTALL,
)
# The fast tokenizer, for the scan: brackets and comments are dull too, so it stops only at events.
_SKIP = re.compile(
    rf"""
      (?P<dull>(?:[{{}}()][{{}}() \t\r\n]*+ | \#{_NOT_EOL}*+ | {_DULL_PIECE})++)
    {_EVENTS}
    """,
    re.VERBOSE | re.DOTALL,
)
_WSC_RE = re.compile(_WSC)
_PROLOGUE_ITEM = re.compile(  # (after _WSC_RE: each item eats the whitespace and comments after it)
    rf"(?:{_ci('base')}{_WSC}(?P<base>{_IRI})|{_ci('prefix')}{_WSC}(?P<prefix>(?:{_PREFIX})?+):{_WSC}(?P<ns>{_IRI})){_WSC}")
_QUICK_FORM = re.compile(rf"(?:{_WSC}(?:(?i:base){_WSC}{_IRI}|(?i:prefix){_WSC}(?:{_PREFIX})?+:{_WSC}{_IRI}))*+"
                         rf"{_WSC}(?P<form>(?i:select|construct|describe|ask))")
_SERVICE_TARGET = re.compile(
    rf"{_WSC}(?:(?i:silent){_WSC})?+(?:(?P<iri>{_IRI})|(?P<var>[?$][{_V}]++)|(?P<pname>{_PNAME}))")
_VALUES_HEAD = re.compile(rf"{_WSC}(?:{_VAR}|\((?:{_WSC}{_VAR})*+{_WSC}\)){_WSC}\{{")
_NEXT_IS_GROUP = re.compile(rf"{_WSC}\{{")
_GLUED_SERVICE = re.compile(r"(?:true|false|\.)*+(?i:service)(?P<silent>(?i:silent))?+(?P<rest>.*)", re.DOTALL)
_NAME_START = re.compile(rf"[{_B}:]")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_URI_PARTS = re.compile(r"(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?", re.DOTALL)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
_NOT_OPERAND_END = frozenset("(,=!&|+*/^<.;?{[")  # after these, '<' starts an operand: an IRI

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"}
)
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
MAX_SERVICES = 64  # more is refused (and stops a scan of a query made of SERVICE keywords early)
_LOST = "The guard could not read this query the same way twice; it is refused to be safe."


class QueryRefused(ValueError):
    """The query may not run here. ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class QueryInfo:
    form: str | None = None  # SELECT / CONSTRUCT / DESCRIBE / ASK
    services: list[str] = field(default_factory=list)  # absolute IRIs, ?var, or the unresolved text
    is_update: bool = False
    problem: str | None = None  # why the guard cannot read the query safely: check() refuses it (400)


def scan(query: str) -> QueryInfo:
    """Find the query form, the ``SERVICE`` targets and any update operation.

    Reads the query as Oxigraph does; if it has ``\\u`` escapes, also as a SPARQL 1.1 store
    does (escapes decoded first) and adds what that reading finds.
    """
    if "\\" not in query and "service" not in query.lower() and (quick := _QUICK_FORM.match(query)):
        # No SERVICE can hide where the letters are absent, and nothing comes before the query form.
        return QueryInfo(form=quick["form"].upper())
    info = _scan(query, strict=True)
    if info.problem is None and "\\" in query and _UCHAR.search(query):
        decoded = _decode(query)
        if decoded is None:
            info.problem = "A \\u or \\U escape names no Unicode character."
            return info
        other = _scan(decoded, strict=False)
        info.problem = other.problem  # (only _LOST or too many SERVICEs: this reading refuses nothing else)
        info.is_update = info.is_update or other.is_update
        info.services += [t for t in other.services if t not in info.services]
        if len(info.services) > MAX_SERVICES:
            info.problem = f"More than {MAX_SERVICES} SERVICE clauses."
    return info


def _decode(text: str) -> str | None:
    """``text`` with its ``\\u``/``\\U`` escapes decoded; None if one names no character."""
    parts = _UCHAR.split(text)  # text, 4 hex digits or None, 8 hex digits or None, text, ...
    out = [parts[0]]
    try:
        for i in range(1, len(parts), 3):
            out.append(chr(int(parts[i] or parts[i + 1], 16)))
            out.append(parts[i + 2])
    except (ValueError, OverflowError):
        return None
    return "".join(out)


class _Brackets:
    """The brackets open at offset ``pos`` of a query, brought forward only when an event needs them.

    ``catch_up`` reads from ``pos`` to an event with the exact tokenizer ``_TOKEN``. The events
    the scan already acted on in between are replayed from ``jumps`` (where the scan resumed after
    a name: past a ``SERVICE`` target or a ``VALUES`` header, which opens a block of rows).
    """

    __slots__ = ("pos", "stack", "parens", "values_level", "prev_end", "jumps")

    def __init__(self, pos: int):
        self.pos = pos
        self.stack: list[int] = []  # per open '{': the '(' count of the enclosing level
        self.parens = 0  # '(' open at the current brace level
        self.values_level = -1  # brace depth of the VALUES block we are in (no expressions there)
        self.prev_end = pos  # end of the last token that was not a comment
        self.jumps: dict[int, tuple[int, bool]] = {}  # name offset -> (resume offset, opens VALUES rows)

    def catch_up(self, query: str, target: int) -> bool:
        """Bring the state to ``target`` (an event's offset); False if the tokenizers disagree."""
        pos, stack, parens, values_level, prev_end = self.pos, self.stack, self.parens, self.values_level, self.prev_end
        while pos < target:
            m = _TOKEN.match(query, pos)
            kind, start, end = m.lastgroup, pos, m.end()
            pos = end
            if kind == "dull":
                prev_end = end
                continue
            if kind == "comment":
                continue
            if kind == "brackets":
                for ch in query[start:end]:
                    if ch == "{":
                        stack.append(parens)
                        parens = 0
                    elif ch == "}":
                        parens = stack.pop() if stack else 0
                        if values_level > len(stack):
                            values_level = -1
                    elif ch == "(":
                        parens += 1
                    elif ch == ")" and parens:
                        parens -= 1
            elif kind == "name":
                pos, opens_values = self.jumps.get(start, (end, False))
                if opens_values:
                    stack.append(parens)
                    parens = 0
                    values_level = len(stack)
            elif kind == "string" or query[start] == "\\":
                return False  # the scan would have stopped here: it cannot be before an event
            prev_end = pos
        self.pos, self.parens, self.values_level, self.prev_end = pos, parens, values_level, prev_end
        return pos == target


def _scan(query: str, strict: bool) -> QueryInfo:
    info = QueryInfo()
    prefixes: dict[str, tuple[str | None, str]] = {}  # prefix -> (BASE then, IRI text): resolved when used
    base: str | None = None
    pos, n = _WSC_RE.match(query).end(), len(query)
    while m := _PROLOGUE_ITEM.match(query, pos):  # BASE and PREFIX count only here, in order
        if m["base"]:
            base = _resolve(base, _unescape(m["base"][1:-1]))
        else:
            prefixes[m["prefix"]] = (base, m["ns"][1:-1])
        pos = m.end()

    brackets = _Brackets(pos)
    while pos < n:
        m = _SKIP.match(query, pos)
        kind, start, end = m.lastgroup, pos, m.end()
        pos = end
        if kind == "dull":
            continue
        if kind == "iri":  # an IRI with ' or # in it: is it really one here?
            if strict and (problem := _ambiguous_lt(query, start, end)):
                if not brackets.catch_up(query, start):
                    info.problem = _LOST
                    return info
                if (brackets.parens and brackets.values_level != len(brackets.stack)
                        and _operand_ends_at(query, brackets.prev_end)):
                    info.problem = problem
                    return info
        elif kind == "name":
            pos = _name(query, start, end, info, prefixes, base, brackets)
        elif kind == "string":
            if strict:
                info.problem = f"Unterminated string at line {query.count(chr(10), 0, start) + 1}."
            return info  # (decoded reading: a SPARQL 1.1 store stops here too)
        elif query[start] == "\\":
            if strict:
                info.problem = ("A '\\' outside a string, IRI or prefixed name: SPARQL 1.1 and 1.2 read "
                                "codepoint escapes there differently, so this endpoint refuses them.")
            return info
    return info


def _name(query: str, start: int, end: int, info: QueryInfo, prefixes, base, brackets: _Brackets) -> int:
    """Act on a keyword-like name; return where scanning resumes."""
    text = query[start:end]
    glued = _GLUED_SERVICE.fullmatch(text)
    if glued and not glued["rest"]:  # SERVICE (maybe glued to SILENT, or after true/false/'.')
        t = _SERVICE_TARGET.match(query, end)
        info.services.extend(_targets(t, prefixes, base) if t else [""])
        if len(info.services) > MAX_SERVICES:
            info.problem = f"More than {MAX_SERVICES} SERVICE clauses."
            return len(query)
        resume = t.end() if t else end
        brackets.jumps[start] = (resume, False)
        return resume
    if glued and ":" in glued["rest"] and _NAME_START.match(glued["rest"]):
        # SERVICEe:x { ... } or SERVICE:x { ... }: a prefixed name the parser backtracks out of.
        if _NEXT_IS_GROUP.match(query, end):
            info.services.extend(_pname_target(glued["rest"], prefixes))
        return end
    word = text.upper()
    if info.form is None and (word in QUERY_FORMS or word in UPDATE_KEYWORDS):
        if not brackets.catch_up(query, start):  # only at brace depth 0 do these decide what the query is
            info.problem = _LOST
            return len(query)
        if not brackets.stack:
            if word in QUERY_FORMS:
                info.form = word
            else:
                info.is_update = True
    elif word == "VALUES" and (v := _VALUES_HEAD.match(query, end)):
        brackets.jumps[start] = (v.end(), True)
        return v.end()
    return end


def _targets(m: re.Match, prefixes, base) -> list[str]:
    if m["var"]:
        return [m["var"]]
    if m["pname"]:
        return _pname_target(m["pname"], prefixes)
    raw = _unescape(m["iri"][1:-1])
    if raw is None:
        return [m["iri"][1:-1]]
    resolved = _resolve(base, raw)  # None: relative with no absolute BASE (the store uses its own base)
    return [resolved if resolved is not None else raw]


def _pname_target(pname: str, prefixes) -> list[str]:
    prefix, _, local = pname.partition(":")
    declared = prefixes.get(prefix)
    ns = _resolve(declared[0], _unescape(declared[1])) if declared is not None else None
    return [ns + local.replace("\\", "")] if ns is not None else [pname]


def _operand_ends_at(query: str, end: int) -> bool:
    i = end - 1
    while i >= 0 and query[i] in " \t\r\n":
        i -= 1
    return i >= 0 and query[i] not in _NOT_OPERAND_END


def _ambiguous_lt(query: str, start: int, end: int) -> str | None:
    """Inside an expression, after an operand, Oxigraph reads '<' as less-than, not as an IRI."""
    body = query[start + 1:end - 1]
    hash_at, quote_at = body.find("#"), body.find("'")
    message = (f"Ambiguous '<' at line {query.count(chr(10), 0, start) + 1}: in an expression after a "
               "value it is less-than, so {0} would start a {1}. Put a space after '<' or write the IRI "
               "with a prefix.")
    if quote_at >= 0 and (hash_at < 0 or quote_at < hash_at):
        return message.format("the \"'\"", "string")
    if "(" in body[:hash_at]:
        return message.format("'#'", "comment")
    eol = len(query)
    for stop in ("\n", "\r"):
        found = query.find(stop, end, eol)
        eol = found if found >= 0 else eol
    if query[end:eol].strip(" \t"):  # the rest of the line would be a comment in the other reading
        return message.format("'#'", "comment")
    return None


def _unescape(iri: str) -> str | None:
    return iri if "\\" not in iri else _decode(iri)


def _resolve(base: str | None, ref: str | None) -> str | None:
    """RFC 3986 section 5.2 reference resolution, as oxiri does it for hierarchical IRIs; None if not absolute.

    Like oxiri, a reference with a scheme or an authority is kept as written (no dot-segment removal).
    For a base without authority (``urn:``) oxiri departs from RFC 3986; such IRIs are never allowed
    endpoints (``federation.check`` wants http(s) and a host), so the strict RFC result is kept there.
    """
    if ref is None:
        return None
    scheme, authority, path, query, fragment = _URI_PARTS.fullmatch(ref).groups()
    if scheme is not None:
        return ref if _SCHEME.fullmatch(scheme) else None  # oxiri keeps an absolute IRI as written
    if base is None:
        return None
    b_scheme, b_authority, b_path, b_query, _ = _URI_PARTS.fullmatch(base).groups()
    if authority is not None:
        return _join(b_scheme, authority, path, query, fragment)  # (dot segments kept, as oxiri does)
    if not path:
        return _join(b_scheme, b_authority, b_path, query if query is not None else b_query, fragment)
    if not path.startswith("/"):
        if b_authority is not None and not b_path:
            path = "/" + path
        else:
            path = b_path[:b_path.rfind("/") + 1] + path
    return _join(b_scheme, b_authority, _remove_dots(path), query, fragment)


def _join(scheme, authority, path, query, fragment) -> str:
    return (scheme + ":" + ("//" + authority if authority is not None else "") + path
            + ("?" + query if query is not None else "") + ("#" + fragment if fragment is not None else ""))


def _remove_dots(path: str) -> str:
    """RFC 3986 section 5.2.4, with an index instead of string slicing (linear)."""
    if "." not in path:
        return path
    out: list[str] = []
    i, n = 0, len(path)
    while i < n:
        if path.startswith("../", i):
            i += 3
        elif path.startswith("./", i):
            i += 2
        elif path.startswith("/./", i):
            i += 2
        elif path.startswith("/.", i) and i + 2 == n:
            out.append("/")
            i = n
        elif path.startswith("/../", i) or (path.startswith("/..", i) and i + 3 == n):
            if out:
                out.pop()
            if i + 3 == n:
                out.append("/")
                i = n
            else:
                i += 3
        elif path[i:] in (".", ".."):
            i = n
        else:
            j = path.find("/", i + 1)
            j = n if j < 0 else j
            out.append(path[i:j])
            i = j
    return "".join(out)


def check(query: str, *, max_length: int = 100_000, allowed_services: frozenset[str] = frozenset()) -> QueryInfo:
    """Refuse what must not run; return what the scan found."""
    if len(query) > max_length:
        raise QueryRefused(f"The query is {len(query):,} characters; the limit is {max_length:,}.", 413)
    info = scan(query)
    if info.problem:
        raise QueryRefused(info.problem)
    if info.is_update:
        raise QueryRefused("This endpoint is read-only: SPARQL updates are not accepted.", 403)
    for target in info.services:
        if target.startswith(("?", "$")):
            raise QueryRefused(f"SERVICE {target}: a variable endpoint is not allowed; name an allowed endpoint.")
        if not target:
            raise QueryRefused("SERVICE must be followed by the IRI of an allowed endpoint.")
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


def _self_check() -> None:
    """Fail closed on a Python whose ``re`` gets this module's patterns wrong. Python 3.11.2 (Debian
    12's) mishandles possessive quantifiers: the scan then misses SERVICE clauses, and a query could
    reach an endpoint the operator did not allow. Run once, when the module is loaded."""
    import sys

    probes = {
        "select * { service <http://a/> { ?s ?p ?o } }": ["http://a/"],
        "PREFIX e: <http://ex.org/> SELECT * { { OPTIONAL { SERVICE SILENT e:sparql { ?s ?p ?o } } } }":
            ["http://ex.org/sparql"],
        "SELECT * { SeRvIcE ?x { ?s ?p ?o } }": ["?x"],
    }
    for query, services in probes.items():
        if scan(query).services != services:
            raise ImportError(
                f"registry.sparql.guard: this Python ({sys.version.split()[0]}) finds {scan(query).services} "
                f"as the SERVICE targets of {query!r}, not {services}: its regular expressions mishandle "
                "possessive quantifiers (Python 3.11.2 does; 3.11.7 does not). Use another Python.")


_self_check()
