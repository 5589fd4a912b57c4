"""The sharded search index that ``site/static/search.js`` reads (docs/search.md).

One manifest (``/search-index.json``, ``"version": 2``) and, under ``search-index/{v}/`` (``v``: a hash
of the content, so that the files never change at one address):

* ``terms/{hex}.json``: the postings of every term whose longest prefix among the shard keys is the
  key (``hex``: the key's UTF-8 bytes in hexadecimal, safe for any file system and URL), as
  ``[[term, [delta, code, delta, code, …]], …]``. Keys are the first ``KEY_LENGTH`` characters (code
  points) of terms, one more where a shard would be larger than ``SHARD_LIMIT`` (the terms no longer
  than the key stay in its shard, if any), and so on up to ``MAX_KEY_LENGTH``. ``delta``: doc number
  minus the previous one (the first from -1; 0 repeats the doc for another name position); ``code``:
  0, 1, 2 for the best field description, type/organization, keywords (weights 2, 3, 6), or ``3 + p``
  for the name (weight 10) at word position ``p``;
* ``docs/{n}.json``: what a result shows, for doc numbers ``n * chunk`` to ``(n + 1) * chunk - 1``:
  ``[[ctid, name, type number, owner, description], …]``;
* ``types.json``: every doc's type number as one string of ``width`` characters per doc (read only
  when the type filter is used).

Doc numbers are positions in ``Site.SEARCH_ORDER`` (name order), so ties by name need no names. The
builder takes the entries one at a time: doc chunks are written as they fill, only the postings
(arrays of machine integers, about 8 bytes a posting) and the type numbers stay in memory.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import threading
import unicodedata
from array import array
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from .formats import compact_json
from .namespaces import CEASN, CETERMS

VERSION = 2
KEY_LENGTH = 2  # code points of a term that name its shard, at least
SHARD_LIMIT = 128 * 1024  # a shard larger than this is split by one more character of its terms...
MAX_KEY_LENGTH = 6  # ...up to keys of this many
DOC_CHUNK = 100  # docs per docs/{n}.json
WEIGHTS = (2, 3, 6)  # codes 0, 1, 2: description, type or organization, keywords
NAME_WEIGHT = 10  # codes 3 + p: the name, word position p
_CODE_DESCRIPTION, _CODE_TYPE_OWNER, _CODE_KEYWORDS, _CODE_NAME = 0, 1, 2, 3
# The characters of types.json: printable ASCII but '"' and '\' (nothing to escape in JSON).
TYPE_ALPHABET = "".join(chr(c) for c in range(0x23, 0x7F) if c != 0x5C)

_WORD = re.compile(r"[^\W_]+")  # a run of letters and digits: \w is [\p{L}\p{N}_] in Python's re


class _Marks(dict):
    """A ``str.translate`` table that drops combining marks (\\p{M}): filled per code point met."""

    def __missing__(self, code: int):
        kept = None if unicodedata.category(chr(code))[0] == "M" else code
        self[code] = kept
        return kept


_MARKS = _Marks()


def fold(text: str) -> str:
    """What search.js's ``fold`` does: Unicode NFKD, combining marks (\\p{M}) removed, lower case."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    if text.isascii():  # "…" is "..." now: nothing to remove
        return text.lower()
    return text.translate(_MARKS).lower()


def words(text: str) -> list[str]:
    """What search.js's ``words`` does: the folded text cut at anything not a letter or digit."""
    return _WORD.findall(fold(text or ""))


# For ASCII text (most of it), the terms in one pass over its bytes: letters and digits in lower case,
# anything else a space, then cut at the spaces (five times faster than the regular expression; the
# same words: ASCII's letters and digits are [A-Za-z0-9], and NFKD leaves ASCII as it is).
_ASCII_WORDS = bytes(ord(chr(c).lower()) if chr(c).isalnum() else 0x20 for c in range(0x80)) + b" " * 0x80


def _terms(text: str) -> list[bytes]:
    """:func:`words` as UTF-8 (the builder's postings are keyed by bytes: cheaper to cut and hash)."""
    if not text:
        return []
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORDS).split()
    # A description snippet ends with "…" (NFKD "...", no word): the rest is ASCII more often than not
    if text[-1] == "…" and text.rstrip("…").isascii():
        return text.rstrip("…").encode("ascii").translate(_ASCII_WORDS).split()
    return [word.encode("utf-8") for word in words(text)]


KEYWORD_PROPERTIES = (CETERMS + "keyword", CEASN + "conceptKeyword")


def keyword_list(texts: Iterable[str]) -> list[str]:
    """A resource's keywords as the search index holds them: white space collapsed, empty ones and
    repeats (in any case) left out, at most 40, the first 40 in (lower case, text) order: the same
    set whichever order they come in (a page's graph, or the store's answer)."""
    out: list[str] = []
    seen: set[str] = set()
    for folded, text in sorted({(t.lower(), t) for t in (" ".join(t.split()) for t in texts) if t}):
        if folded not in seen:
            seen.add(folded)
            out.append(text)
            if len(out) == 40:
                break
    return out


def page_keywords(props: dict[str, list]) -> list[str]:
    """:func:`keyword_list` of the literal keywords of one node of a graph (``props``: its property
    IRI -> objects, as ``registry.formats.by_subject`` gives them)."""
    return keyword_list(o.value for p in KEYWORD_PROPERTIES for o in props.get(p, ()) if type(o) is ox.Literal)


def shard_key(term: str) -> str:
    return term[:KEY_LENGTH]


def key_file(key: str) -> str:
    return key.encode("utf-8").hex()


def _encode(value) -> bytes:
    return compact_json(value).encode("utf-8")


class Builder:
    """Makes the files of the index from entries given in doc order; ``put(rel, data)`` receives
    each file (``rel`` under the version folder), the manifest last (:meth:`finish`)."""

    def __init__(self, put: Callable[[str, bytes], None], chunk: int = DOC_CHUNK, shard_limit: int | None = None):
        self.put = put
        self.chunk = chunk
        self.shard_limit = SHARD_LIMIT if shard_limit is None else shard_limit
        self.count = 0
        self.types: list[str] = []
        self._type_number: dict[str, int] = {}
        self._doc_types = array("H")
        self._docs: list[list] = []
        self._postings: dict[bytes, array] = {}  # term (UTF-8: see _terms) -> doc, code, doc, code, …
        self._type_owner: dict[tuple[str, str], dict[bytes, int]] = {}
        self._hash = hashlib.sha256()
        self.sizes: dict[str, int] = {}  # rel -> bytes, for reports

    def _emit(self, rel: str, data: bytes) -> None:
        self._hash.update(b"%s %d\n" % (rel.encode(), len(data)))
        self._hash.update(data)
        self.sizes[rel] = len(data)
        self.put(rel, data)

    def add(self, ctid: str, name: str, type_label: str, owner: str, description: str,
            keywords: list[str]) -> None:
        doc = self.count
        self.count += 1
        number = self._type_number.get(type_label)
        if number is None:
            number = self._type_number[type_label] = len(self.types)
            self.types.append(type_label)
        self._doc_types.append(number)
        self._docs.append([ctid, name, number, owner, description])
        if len(self._docs) == self.chunk:
            self._flush_docs()

        # Each term's best code: the fields from the lowest code up, so that a higher code replaces
        # a lower one (the order of the terms does not matter: each gets one posting of this doc).
        best = dict.fromkeys(_terms(description), _CODE_DESCRIPTION)
        best.update(self._type_owner_terms(type_label, owner))
        if keywords:
            best.update(dict.fromkeys(_terms(" ".join(keywords)), _CODE_KEYWORDS))
        postings = self._postings
        name_words = _terms(name)
        if name_words:
            named = dict(zip(name_words, range(_CODE_NAME, _CODE_NAME + len(name_words))))
            if len(named) == len(name_words):  # no word twice (most names): one posting each
                best.update(named)
            else:  # a posting per position, in order
                for term in named:
                    best.pop(term, None)
                for p, term in enumerate(name_words):
                    arr = postings.get(term)
                    if arr is None:
                        arr = postings[term] = array("i")
                    arr.append(doc)
                    arr.append(_CODE_NAME + p)
        for term, code in best.items():
            arr = postings.get(term)
            if arr is None:
                arr = postings[term] = array("i")
            arr.append(doc)
            arr.append(code)

    def _type_owner_terms(self, type_label: str, owner: str) -> dict[bytes, int]:
        """The terms of a type label and owner names, with their code (made once per pair: a type
        and an owner come with many resources)."""
        key = (type_label, owner)
        terms = self._type_owner.get(key)
        if terms is None:
            if len(self._type_owner) >= 50_000:
                self._type_owner.clear()
            terms = self._type_owner[key] = dict.fromkeys(_terms(type_label) + _terms(owner), _CODE_TYPE_OWNER)
        return terms

    def _flush_docs(self) -> None:
        if self._docs:
            self._emit(f"docs/{(self.count - 1) // self.chunk}.json", _encode(self._docs))
            self._docs = []

    def finish(self) -> tuple[str, bytes]:
        """Write the rest (last doc chunk, term shards, types); return (version, manifest bytes)."""
        self._flush_docs()
        by_key: dict[str, list[str]] = {}
        postings = {term.decode("utf-8"): arr for term, arr in self._postings.items()}
        self._postings = {}
        for term in postings:
            by_key.setdefault(shard_key(term), []).append(term)
        terms: dict[str, int] = {}
        for key in sorted(by_key):
            parts = []
            for term in sorted(by_key[key]):
                arr = postings.pop(term)
                flat, prev = arr.tolist(), -1
                for i in range(0, len(flat), 2):
                    doc = flat[i]
                    flat[i] = doc - prev
                    prev = doc
                parts.append((term, _encode([term, flat])))
            self._shards(key, parts, terms)
        width = 1
        while len(TYPE_ALPHABET) ** width < max(1, len(self.types)):
            width += 1
        codes = []  # by type number
        n = len(TYPE_ALPHABET)
        for number in range(len(self.types)):
            code = ""
            for _ in range(width):
                code = TYPE_ALPHABET[number % n] + code
                number //= n
            codes.append(code)
        self._emit("types.json", _encode("".join(map(codes.__getitem__, self._doc_types))))
        version = self._hash.hexdigest()[:16]
        manifest = {"version": VERSION, "count": self.count, "base": f"search-index/{version}/",
                    "types": self.types, "typeWidth": width, "typeAlphabet": TYPE_ALPHABET,
                    "chunk": self.chunk, "weights": [*WEIGHTS, NAME_WEIGHT], "terms": terms}
        return version, _encode(manifest)

    def _shards(self, key: str, parts: list[tuple[str, bytes]], terms: dict[str, int]) -> None:
        """Write the shard ``key`` of ``parts`` (term, encoded postings; sorted by term), split by one
        more character while it is too large (:data:`SHARD_LIMIT`)."""
        size = 1 + sum(len(part) + 1 for _, part in parts)
        if size > self.shard_limit and len(key) < MAX_KEY_LENGTH and len(parts) > 1:
            n = len(key) + 1
            stay = [(term, part) for term, part in parts if len(term) < n]  # the key itself
            deeper: dict[str, list[tuple[str, bytes]]] = {}
            for term, part in parts:
                if len(term) >= n:
                    deeper.setdefault(term[:n], []).append((term, part))
            if stay:
                self._shards(key, stay, terms)
            for sub in sorted(deeper):
                self._shards(sub, deeper[sub], terms)
            return
        data = b"[" + b",".join(part for _, part in parts) + b"]"
        self._emit(f"terms/{key_file(key)}.json", data)
        terms[key] = len(data)


def keys_for(word: str, keys) -> list[str]:
    """The shard keys whose shards can hold terms starting with ``word`` (search.js's ``keysFor``): every
    key starting with it, and the longest key that is a prefix of it."""
    out, longest = [], ""
    for key in keys:
        if key.startswith(word):
            out.append(key)
        elif word.startswith(key) and len(key) > len(longest):
            longest = key
    return sorted(out + ([longest] if longest else []))


# --- the two places the files go -------------------------------------------------------------


MAKING = threading.Lock()  # held while the live site makes or looks up its index (Site.search_index)


class Served:
    """The index as the live site serves it: every file's bytes, by path under the version folder
    (gzipped on first request)."""

    def __init__(self, entries, chunk: int = DOC_CHUNK):
        self.files: dict[str, bytes] = {}
        builder = Builder(self.files.__setitem__, chunk)
        for entry in entries:
            builder.add(*entry)
        self.version, self.manifest = builder.finish()
        self.count = builder.count
        self.etag = hashlib.sha256(self.manifest).hexdigest()[:32]
        self._gzip: dict[str, bytes] = {}

    def gzipped(self, rel: str | None) -> bytes:
        """The gzip of ``rel`` (None: the manifest), made once."""
        hit = self._gzip.get(rel or "")
        if hit is None:
            hit = self._gzip[rel or ""] = gzip.compress(self.manifest if rel is None else self.files[rel], mtime=0)
        return hit


def write(entries, manifest_path: Path, chunk: int = DOC_CHUNK) -> dict:
    """Write the index for a static site: the shards into a new folder beside the manifest
    (``search-index/.tmp-…``, renamed to ``search-index/{version}`` when complete), then the
    manifest (replaced atomically), then remove every other folder of ``search-index/``: a reader
    never finds a manifest naming missing files (one that holds an older manifest gets a 404 and
    reloads it). Returns ``{"count", "version", "sizes"}``."""
    manifest_path = Path(manifest_path)
    root = manifest_path.with_suffix("")  # out/search-index.json -> out/search-index/
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{os.getpid()}-{os.urandom(4).hex()}"
    made: set[str] = set()

    def put(rel: str, data: bytes) -> None:
        path = os.path.join(tmp, rel)
        folder = os.path.dirname(path)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(path, "wb") as fh:
            fh.write(data)

    try:
        builder = Builder(put, chunk)
        for entry in entries:
            builder.add(*entry)
        version, manifest = builder.finish()
        final = root / version
        if final.exists():  # the same content is there already
            shutil.rmtree(tmp)
        else:
            os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    part = manifest_path.with_name(f"{manifest_path.name}.tmp-{os.getpid()}")
    part.write_bytes(manifest)
    os.replace(part, manifest_path)
    for entry in os.scandir(root):
        if entry.name != version:
            shutil.rmtree(entry.path, ignore_errors=True) if entry.is_dir() else os.unlink(entry.path)
    return {"count": builder.count, "version": version, "sizes": builder.sizes, "manifest": len(manifest)}
