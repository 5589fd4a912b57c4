"""Small helpers that write readable Turtle for the generated shapes."""

from __future__ import annotations

from ..namespaces import PREFIXES
from .targets import SHAPE_NS
from .wording import CONCEPT_PREFIXES

TURTLE_PREFIXES = {"sh": "http://www.w3.org/ns/shacl#", "shape": SHAPE_NS, **PREFIXES, **CONCEPT_PREFIXES}

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def literal(text: str) -> str:
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in text) + '"'


def term(iri: str) -> str:
    """A prefixed name when one of the file's prefixes fits, else ``<iri>``."""
    for prefix, namespace in TURTLE_PREFIXES.items():
        if iri.startswith(namespace) and _plain_local(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def _plain_local(local: str) -> bool:
    return bool(local) and all(ch.isalnum() or ch in "_-" for ch in local) and local[0].isalpha()


def shape(name: str) -> str:
    return "shape:" + name


def prefixes() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in TURTLE_PREFIXES.items())


def comment(text: str, indent: str = "") -> str:
    return "".join(f"{indent}# {line}".rstrip() + "\n" for line in text.splitlines())


def alternative_path(iris: tuple[str, ...] | list[str]) -> str:
    return "[ sh:alternativePath ( " + " ".join(term(i) for i in iris) + " ) ]"


def property_shape(pairs: list[tuple[str, str]]) -> str:
    """``sh:property [ ... ]`` from (predicate, object) pairs already in Turtle syntax."""
    body = "".join(f"        {p} {o} ;\n" for p, o in pairs)
    return "    sh:property [\n" + body + "    ]"


def block(name: str, header: str, pairs: list[tuple[str, str]], properties: list[str]) -> str:
    """One ``shape:`` resource: a comment header, its own triples, then its property shapes."""
    lines = [comment(header), f"{shape(name)}\n"]
    statements = [f"    {p} {o}" for p, o in pairs] + properties
    lines.append(" ;\n".join(statements) + " .\n")
    return "".join(lines)


def target_list(iris: list[str]) -> str:
    """Several ``sh:targetClass`` objects, one per line."""
    return ",\n        ".join(term(i) for i in iris)


def typed_targets(target_type: str, classes: list[str]) -> str:
    """Several ``sh:target`` objects of a parameterised target type, one per line."""
    kind = term(target_type)
    return ",\n        ".join(f"[ a {kind} ; shape:class {term(c)} ]" for c in classes)


def long_literal(text: str) -> str:
    return '"""' + text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') + '"""'


def rdf_list(items: list[str], indent: str = "") -> str:
    """A Turtle collection of items already in Turtle syntax; one per line when ``indent`` is given."""
    if not indent:
        return "( " + " ".join(items) + " )"
    return "(\n" + "".join(f"{indent}    {i}\n" for i in items) + f"{indent})"


def sequence_path(iris: list[str]) -> str:
    return rdf_list([term(i) for i in iris])
