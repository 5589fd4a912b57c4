"""The fast paths of a full static build give what the page-at-a-time paths give.

A full build (``StaticSite.build``) reads every look-up once (``sitegen.BuildIndex``), computes
each resource's JSON-LD once for its page and its ``.jsonld`` (``sitegen.jsonld_document``,
``indented_json``, ``compact_json``) and splits the store's N-Quads dump by graph with one regular
expression (``incremental._lines_by_graph``). These tests compare each with the slow path."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pyoxigraph as ox
import pytest

from registry.formats import jsonld_text, to_jsonld
from registry.incremental import _lines_by_graph
from registry.namespaces import XSD, graph_iri
from registry.sitegen import BuildIndex, Site, compact_json, indented_json, jsonld_document


@pytest.fixture(scope="module")
def demo_docs():
    from registry.demo import generate
    from registry.ingest.parse import parse

    return [d for raw in generate(120, seed=5) for d in parse(json.dumps(raw).encode(), "application/ld+json")]


def test_jsonld_documents_match_formats(demo_docs):
    odd = [
        ox.Triple(ox.NamedNode("http://x.test/a"), ox.NamedNode("http://x.test/p"),
                  ox.Literal('q"\\</script>\u2028é\n\t', language="fr")),
        ox.Triple(ox.BlankNode("b1"), ox.NamedNode("http://x.test/p"),
                  ox.Literal("5", datatype=ox.NamedNode(XSD + "integer"))),
        ox.Triple(ox.BlankNode("b1"), ox.NamedNode("http://x.test/p"), ox.Literal("")),
        ox.Triple(ox.NamedNode("http://x.test/a"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                  ox.NamedNode("http://x.test/T")),
    ]
    cases = [(d.triples, d.iri, graph_iri(d.ctid)) for d in demo_docs]
    cases += [(odd, "http://x.test/a", None), ([], None, None), (odd + demo_docs[0].triples, demo_docs[0].iri, "urn:g")]
    for triples, main, graph in cases:
        doc = jsonld_document(triples, main, graph)
        assert doc == to_jsonld(triples, main, graph)
        assert indented_json(doc) == jsonld_text(triples, main, graph)
        assert compact_json(doc) == json.dumps(to_jsonld(triples, main, graph), ensure_ascii=False,
                                               separators=(",", ":"))
    assert indented_json({"a": {}, "b": [], "c": [{"d": "e"}]}) == json.dumps(
        {"a": {}, "b": [], "c": [{"d": "e"}]}, ensure_ascii=False, indent=2)


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
