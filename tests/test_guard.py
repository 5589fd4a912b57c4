"""The query checks: updates and SERVICE found wherever they hide, and nowhere else."""

import pytest

from registry.sparql.guard import QueryRefused, check, scan


@pytest.mark.parametrize("query, services", [
    ('SELECT * WHERE { ?s ?p "SERVICE <http://x>" }', []),
    ("SELECT * WHERE { ?s ?p '''a\nSERVICE <http://x/>''' }", []),
    ("select * { service <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("SELECT * { ?s <http://x/SERVICE> ?o } # SERVICE <http://evil/>", []),
    ("PREFIX e: <http://ex.org/> SELECT * { { OPTIONAL { SERVICE SILENT e:sparql { ?s ?p ?o } } } }",
     ["http://ex.org/sparql"]),
    ("SELECT * { SeRvIcE ?x { ?s ?p ?o } }", ["?x"]),
    ("BASE <http://b.org/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }", ["http://b.org/sparql"]),
    ("SELECT ?x WHERE { ?x ?p ?o FILTER(?o<3 && ?o>1) }", []),
    ('SELECT * { ?s ?p "esc \\" SERVICE <http://x>" }', []),
])
def test_service_targets(query, services):
    assert scan(query).services == services


def test_update_refused_with_403():
    for q in ("INSERT DATA { <a> <b> <c> }", "drop all", "PREFIX a: <x:> DELETE WHERE { ?s ?p ?o }"):
        with pytest.raises(QueryRefused) as err:
            check(q)
        assert err.value.status == 403


def test_select_with_delete_word_in_string_is_a_query():
    info = check('SELECT * { ?s ?p "DELETE" }')
    assert info.form == "SELECT" and not info.is_update


def test_service_refused_unless_allowed():
    q = "SELECT * { SERVICE <http://other.example/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryRefused, match="not enabled"):
        check(q)
    with pytest.raises(QueryRefused, match="allow-list"):
        check(q, allowed_services=frozenset({"http://else.example/sparql"}))
    assert check(q, allowed_services=frozenset({"http://other.example/sparql"})).services
    with pytest.raises(QueryRefused, match="variable"):
        check("SELECT * { SERVICE ?e { ?s ?p ?o } }", allowed_services=frozenset({"http://x/"}))


def test_size_limit():
    with pytest.raises(QueryRefused) as err:
        check("SELECT * {}" + " " * 200, max_length=100)
    assert err.value.status == 413
