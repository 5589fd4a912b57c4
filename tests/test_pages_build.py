"""The fast paths of a full static build give what the page-at-a-time paths give.

A full build (``StaticSite.build``) reads every look-up once (``sitegen.BuildIndex``), computes
each resource's JSON-LD once for its page and its ``.jsonld`` (``formats.to_jsonld``,
``jsonld_lines``, ``compact_json``, written for speed) and reads the graphs the journal keeps; a
journal made before it kept graphs gets them from the store's N-Quads dump, split by graph with one
regular expression (``incremental._lines_by_graph``). These tests compare each with the slow path."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pyoxigraph as ox
import pytest

from registry.formats import compact_json, jsonld_lines, jsonld_pair, jsonld_text, to_jsonld
from registry.core import parse_ntriples
from registry.incremental import _lines_by_graph, _nquads, _ntriples
from registry.namespaces import XSD, graph_iri
from registry.namespaces import PREFIXES, RDF_TYPE, compact
from registry.sitegen import BuildIndex, Site


@pytest.fixture(scope="module")
def demo_docs():
    from registry.demo import generate
    from registry.ingest.parse import parse

    return [d for raw in generate(120, seed=5) for d in parse(json.dumps(raw).encode(), "application/ld+json")]


def _plain_jsonld(triples, main_iri, graph):
    """The JSON-LD layout of registry.formats written plainly: the oracle for its fast version. A graph
    is a set: a statement a document makes twice is written once (the first time)."""
    triples = list(dict.fromkeys(triples))

    def key(iri):
        return compact(iri)

    def value(term):
        if isinstance(term, ox.NamedNode):
            return {"@id": term.value}
        if isinstance(term, ox.BlankNode):
            return {"@id": "_:" + term.value}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD + "string":
            return term.value
        return {"@value": term.value, "@type": key(term.datatype.value)}

    nodes = {}
    for t in triples:
        sid = t.subject.value if isinstance(t.subject, ox.NamedNode) else "_:" + t.subject.value
        node = nodes.setdefault(sid, {"@id": sid})
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(key(t.object.value))
        else:
            node.setdefault(key(t.predicate.value), []).append(value(t.object))
    for node in nodes.values():
        for k, v in node.items():
            if isinstance(v, list) and len(v) == 1:
                node[k] = v[0]
    doc = {"@context": dict(PREFIXES)}
    if graph:
        doc["@id"] = graph
    doc["@graph"] = [nodes[s] for s in sorted(nodes, key=lambda s: (s != main_iri, s.startswith("_:"), s))]
    return doc


def test_jsonld_documents_match_their_plain_definition(demo_docs):
    odd = [
        ox.Triple(ox.NamedNode("http://x.test/a"), ox.NamedNode("http://x.test/p"),
                  ox.Literal('q"\\</script>\u2028é\n\t', language="fr")),
        ox.Triple(ox.BlankNode("b1"), ox.NamedNode("http://x.test/p"),
                  ox.Literal("5", datatype=ox.NamedNode(XSD + "integer"))),
        ox.Triple(ox.BlankNode("b1"), ox.NamedNode("http://x.test/p"), ox.Literal("")),
        ox.Triple(ox.NamedNode("http://x.test/a"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                  ox.NamedNode("http://x.test/T")),
        ox.Triple(ox.BlankNode("b1"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                  ox.Literal("not a class")),  # written as rdf:type, not @type
        ox.Triple(ox.BlankNode("b1"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                  ox.NamedNode("http://x.test/T")),
        # two IRIs with one compact form: the IRI "ceterms:name" (an unknown prefix in a document
        # without a context) and ceterms:name itself; both values stay
        ox.Triple(ox.NamedNode("http://x.test/a"), ox.NamedNode("ceterms:name"), ox.Literal("odd")),
        ox.Triple(ox.NamedNode("http://x.test/a"), ox.NamedNode("https://purl.org/ctdl/terms/name"),
                  ox.Literal("real")),
        # the IRI "rdf:type" itself, one value, before rdf:type with a value that is not a class
        ox.Triple(ox.BlankNode("b2"), ox.NamedNode("rdf:type"), ox.Literal("a")),
        ox.Triple(ox.BlankNode("b2"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                  ox.Literal("b")),
    ]
    cases = [(d.triples, d.iri, graph_iri(d.ctid)) for d in demo_docs]
    cases += [(odd, "http://x.test/a", None), ([], None, None), (odd + demo_docs[0].triples, demo_docs[0].iri, "urn:g")]
    for triples, main, graph in cases:
        doc = to_jsonld(triples, main, graph)
        assert doc == _plain_jsonld(triples, main, graph)
        text = jsonld_text(triples, main, graph)
        assert text == jsonld_lines(doc) and json.loads(text) == doc
        lines = text.split("\n")  # one node of @graph per line, after the context and the graph name
        if doc["@graph"]:
            head = 3 + (graph is not None)
            assert lines[head - 1] == '  "@graph": [' and lines[-3:] == ["  ]", "}", ""]
            assert [json.loads(line.strip().rstrip(",")) for line in lines[head:-3]] == doc["@graph"]
        assert compact_json(doc) == json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
        assert jsonld_pair(doc) == (compact_json(doc), text)
    other = {"@context": {"x": "http://x.test/"}, "@graph": []}  # not the usual context, no nodes
    assert jsonld_pair(other)[0] == compact_json(other) and json.loads(jsonld_pair(other)[1]) == other
    assert json.loads(jsonld_lines({"a": {}, "@graph": [], "c": [{"d": "é"}]})) == {"a": {}, "@graph": [], "c": [{"d": "é"}]}
    assert "é" in jsonld_lines({"c": "é"})


def test_ntriples_cut_from_the_dump_are_the_graph(demo_docs):
    """Graphs cut from the store's dump (how the journal gets the graphs it lacks) are the graph,
    nothing else; put back in their graph they are the dump's quads."""
    store = ox.Store()
    for d in demo_docs[:30]:
        store.extend([ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph_iri(d.ctid))) for t in d.triples])
    store.add(ox.Quad(ox.NamedNode("http://x.test/a"), ox.NamedNode("http://x.test/p"),
                      ox.Literal(f"tricky <{graph_iri(demo_docs[0].ctid)}> .\n end")))  # default graph
    store.add(ox.Quad(ox.NamedNode("http://x.test/a"), ox.NamedNode("http://x.test/p"),
                      ox.Literal(f"x <{graph_iri(demo_docs[1].ctid)}> .\n"), ox.NamedNode(graph_iri(demo_docs[1].ctid))))
    dump = store.dump(format=ox.RdfFormat.N_QUADS)
    cut: dict[str, bytes] = {}  # an in-memory store does not group its dump by graph: join the runs
    for ctid, lines in _lines_by_graph(iter([dump])):
        cut[ctid] = cut.get(ctid, b"") + _ntriples(ctid, lines)
    seen = 0
    for ctid, nt in cut.items():
        want = set(store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri(ctid))))
        assert {q.triple for q in want} == {q.triple for q in parse_ntriples(nt)} == {
            q.triple for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)}
        assert all(q.graph_name == ox.DefaultGraph() for q in parse_ntriples(nt))  # read as Triples
        assert set(ox.parse(_nquads(ctid, nt), format=ox.RdfFormat.N_QUADS)) == want  # the dump: back in its graph
        assert b"urn:ctid" not in nt.replace(f"<{graph_iri(ctid)}> .\\n".encode(), b"")
        seen += 1
    assert seen == 30


def test_lines_by_graph_split_anywhere():
    text = (b'<a> <b> <c> <urn:ctid:ce-1> .\n'
            b'<a> <b> "x <urn:ctid:ce-9> .\\n" <urn:ctid:ce-1> .\n'
            b'<a> <b> <c> .\n'  # the default graph: left out
            b'<a> <b> <c> <urn:ctid:ce-2> .\n'
            b'<a> <b> <d> <urn:ctid:ce-1> .')  # no final newline; ce-1 again (not grouped)
    want = [("ce-1", b'<a> <b> <c> <urn:ctid:ce-1> .\n<a> <b> "x <urn:ctid:ce-9> .\\n" <urn:ctid:ce-1> .\n'),
            ("ce-2", b"<a> <b> <c> <urn:ctid:ce-2> .\n"),
            ("ce-1", b"<a> <b> <d> <urn:ctid:ce-1> .\n")]
    for cut in range(len(text) + 1):
        assert list(_lines_by_graph(iter([text[:cut], text[cut:]]))) == want, cut


def test_type_list_title_names_the_class_asked_for():
    site = Site(SimpleNamespace(config=SimpleNamespace(base_url="", site_name="Registry")))
    types = site.type_filter("Credential")
    assert len(types) > 1 and not types[0].endswith("/Credential")  # sorted: a subclass comes first
    assert site.list_title("Credential") == "Credential resources"
    assert site.list_title("Credential", types) == "Credential resources"
    assert site.list_title("BachelorDegree") == "Bachelor's Degree resources"
    assert site.list_title(None) == "All resources"


@pytest.mark.usefixtures("no_validation")
def test_build_index_pages_equal_page_at_a_time(registry):
    """Every page rendered with the build's look-ups is the page the live site renders."""
    from registry.demo import generate
    from registry.ingest.parse import parse

    docs = [d for raw in generate(80, seed=11) for d in parse(json.dumps(raw).encode(), "application/ld+json")]
    assert all(o.accepted for o in registry.loader.publish(docs))
    live = Site(registry, base_url="")
    built = Site(registry, base_url="")
    index = BuildIndex(registry)
    index.install(built)
    try:
        rows = [registry.journal.resource(d.ctid) for d in docs]
        index.prefetch_links([r.ctid for r in rows[:40]])  # half from the batch read, half one by one
        assert index.members, "the demo data has frameworks with competencies"
        for row in rows:
            html, files = built.resource_documents(index.row(row.ctid))
            assert html == live.resource_html(row), row.ctid
            for ext, body in files.items():
                assert body == live.resource_alternate(row, ext)[0], (row.ctid, ext)
        for member_iri, summary in next(iter(index.members.values())).items():
            assert built.lookup(member_iri) == live.lookup(member_iri)
    finally:
        BuildIndex.remove(built)
        index.close()
    assert "build_index" not in built.__dict__
