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


# --- Tricky SERVICE detection ---------------------------------------------------------------------
# The guard is a lexical scan, so what matters is that it splits a query into strings, comments,
# IRIs and names exactly where the store's parser does: a SERVICE the store sees must be found,
# and text the store reads as a string, comment, IRI or name must not be taken for the keyword.

@pytest.mark.parametrize("query, services", [
    # Strings with escapes: the string ends where the store says it does.
    ('SELECT * { ?s ?p "\\\\" SERVICE <http://a/> { ?s ?p ?o } }', ["http://a/"]),  # "\\" is one backslash
    ("SELECT * { ?s ?p 'it\\'s SERVICE <http://x/>' }", []),
    ('SELECT * { ?s ?p "tab\\t\\"SERVICE\\" <http://x/>\\\\" }', []),
    ('SELECT * { ?s ?p "caf\\u00E9 SERVICE <http://x/> \\U0001F600" }', []),
    ("SELECT * { ?s ?p '' . SERVICE <http://a/> { ?s ?p ?o } ?s ?p '' }", ["http://a/"]),  # empty strings
    # Long strings: quotes, newlines and escapes inside; two of them do not swallow what is between.
    ('SELECT * { ?s ?p """one "quoted" ""twice"" SERVICE <http://x/>\nSERVICE <http://y/>""" }', []),
    ("SELECT * { ?s ?p '''it''s\nSERVICE <http://x/> ''' }", []),
    ('SELECT * { ?s ?p """ends in a quote\\"""" SERVICE <http://a/> { ?s ?p ?o } }', ["http://a/"]),
    ('SELECT * { ?s ?p """a""" . SERVICE <http://a/> { ?s ?p ?o } ?s ?p """b""" }', ["http://a/"]),
    ("SELECT * { ?s ?p '''a''' . SERVICE <http://a/> { ?s ?p ?o } ?s ?p '''b''' }", ["http://a/"]),
    # Comments run to the end of the line (LF or CR), and only from a '#' outside strings and IRIs.
    ("SELECT * { ?s ?p ?o } # SERVICE <http://x/>", []),  # at the very end, no newline
    ("SELECT * { ?s ?p ?o # SERVICE <http://x/> {\n}", []),
    ("SELECT * { # a comment\rSERVICE <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("SELECT * { # a comment\r\nSERVICE <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ('SELECT * { ?s ?p "#" . SERVICE <http://a/> { ?s ?p ?o } }', ["http://a/"]),
    ("SELECT * { ?s <http://x/#frag> ?o . SERVICE <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("SELECT * { ?s <http://x/it's> ?o . SERVICE <http://a/> { ?s ?p ?o } ?s <http://x/'> ?o }", ["http://a/"]),
    ("SELECT * # 1\n{ SERVICE # 2\n SILENT # 3\n <http://a/> # 4\n { ?s ?p ?o } }", ["http://a/"]),
    # SERVICE inside IRIs, prefixed names, variables, blank node labels and datatypes is not the keyword.
    ("SELECT * { <SERVICE> <http://x/SERVICE#SERVICE> ?o }", []),
    ("PREFIX SERVICE: <http://x/> SELECT * { ?s SERVICE:SERVICE SERVICE: }", []),
    ("PREFIX e: <http://x/> SELECT * { ?s e:SERVICE e:a.SERVICE }", []),
    ("SELECT ?SERVICE $service { ?SERVICE ?p $service }", []),
    ("SELECT * { _:SERVICE ?p _:b.SERVICE }", []),
    ('SELECT * { ?s ?p "x"^^<http://x/SERVICE> }', []),
    # Keywords in any case, with or without space around them.
    ("select * { service silent <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("SELECT * { Service Silent <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("SELECT*{SERVICE<http://a/>{?s ?p ?o}}", ["http://a/"]),
    # Wherever a group can be.
    ("SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE <http://a/> { ?s ?p ?o } } }", ["http://a/"]),
    ("SELECT * { ?s ?p ?o FILTER(NOT EXISTS { { SERVICE <http://a/> { ?s ?p ?o } } }) }", ["http://a/"]),
    ("SELECT * { ?s ?p ?o MINUS { SERVICE <http://a/> { ?s ?p ?o } } }", ["http://a/"]),
    ("SELECT * { { SELECT ?s WHERE { GRAPH ?g { SERVICE <http://a/> { ?s ?p ?o } } } LIMIT 1 } }", ["http://a/"]),
    ("SELECT * { {} UNION { OPTIONAL { SERVICE <http://a/> { SERVICE <http://b/> { ?s ?p ?o } } } } }",
     ["http://a/", "http://b/"]),
    ("SELECT * {" + "{" * 200 + " SERVICE <http://a/> { ?s ?p ?o } " + "}" * 200 + "}", ["http://a/"]),
    ("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("ASK { SERVICE <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("DESCRIBE ?s WHERE { SERVICE <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    # Prefixes: the empty prefix, comments inside PREFIX, a redeclared prefix (the last one wins, as in
    # Oxigraph), and a prefix declared after its use (invalid SPARQL): left unresolved, so never allowed.
    ("PREFIX : <http://a/> SELECT * { SERVICE :sparql { ?s ?p ?o } }", ["http://a/sparql"]),
    ("PREFIX # c\n e: # c\n <http://a/> SELECT * { SERVICE e:s { ?s ?p ?o } }", ["http://a/s"]),
    ("PREFIX e: <http://a/> PREFIX e: <http://b/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }", ["http://b/sparql"]),
    ("SELECT * { SERVICE e:sparql { ?s ?p ?o } } PREFIX e: <http://a/>", ["e:sparql"]),
])
def test_tricky_service_targets(query, services):
    assert scan(query).services == services


def test_prefix_declared_after_use_is_refused_not_crashed():
    q = "SELECT * { SERVICE e:sparql { ?s ?p ?o } } PREFIX e: <http://a/>"
    with pytest.raises(QueryRefused):
        check(q, allowed_services=frozenset({"http://a/sparql"}))


# Each of these is a query Oxigraph runs (the SERVICE call leaves: see test_guard_agrees_with_oxigraph)
# that an earlier guard missed, or checked another IRI than the one called. Each is now found.
HIDDEN_SERVICE = [
    pytest.param("SELECT * { ?x <http://x/\\u0061#> ?y . SERVICE <http://evil/> { ?s ?p ?o } }",
                 "http://evil/", id="iri-escape-then-hash"),
    pytest.param("PREFIX e: <http://x/> SELECT * { ?x e:a\\# ?y . SERVICE <http://evil/> { ?s ?p ?o } }",
                 "http://evil/", id="pname-escaped-hash"),
    pytest.param("PREFIX e: <http://x/> SELECT * { ?x e:a\\' ?y . SERVICE <http://evil/> { ?s ?p ?o } "
                 "FILTER(?y != 'z') }", "http://evil/", id="pname-escaped-apostrophe"),
    pytest.param("BASE <http://127.0.0.1:5000> SELECT * { SERVICE <1/sparql> { ?s ?p ?o } }",
                 "http://127.0.0.1:5000/1/sparql", id="base-resolution"),
    pytest.param("BASE <http://sparql.example.co> SELECT * { SERVICE <m/sparql> { ?s ?p ?o } }",
                 "http://sparql.example.co/m/sparql", id="base-resolution-host"),
]


@pytest.mark.parametrize("query, called", HIDDEN_SERVICE)
def test_service_hidden_by_escapes_or_base_is_found(query, called):
    assert called in scan(query).services
    allowed = frozenset({"http://127.0.0.1:50001/sparql", "http://sparql.example.com/sparql"})
    with pytest.raises(QueryRefused):
        check(query, allowed_services=allowed)


def test_language_tag_is_not_a_keyword():
    for q in ('SELECT * { ?s ?p "x"@service }', "SELECT * { ?s ?p 'x'@en-SERVICE }"):
        assert check(q).services == []


@pytest.mark.parametrize("query, services", [
    # Glued keywords (Oxigraph's keywords need no boundary, and its parser backtracks into them).
    ("PREFIX : <http://a/> SELECT * { SERVICE:s { ?s ?p ?o } }", ["http://a/s"]),
    ("PREFIX e: <http://a/> SELECT * { SERVICEe:s { ?s ?p ?o } }", ["http://a/s"]),
    ("PREFIX e: <http://a/> SELECT * { SERVICEsilente:s { ?s ?p ?o } }", ["http://a/s"]),
    ("SELECT * { SERVICESILENT<http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("SELECT * { ?s ?p trueSERVICE <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("SELECT * { ?s ?p 1e5SERVICE <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("SELECT * { ?s ?p 1.SERVICE <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("PREFIX e: <http://x/> SELECT * { ?s ?p e:a.b.SERVICE <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("PREFIX e: <http://x/> PREFIX s: <http://a/> SELECT * { SERVICE silents:x { ?s ?p ?o } }", ["http://a/x"]),
    # ... but a name that only starts like a keyword, where no group follows, is a name.
    ("PREFIX SERVICE: <http://x/> SELECT * { SERVICE:s ?p ?o }", []),
    ("PREFIX service: <http://x/> SELECT ?service { ?service service:p service: }", []),
    ("PREFIX ceterms: <https://purl.org/ctdl/terms/> SELECT * { ?s ceterms:service ?o ; ceterms:serviceType ?t }", []),
    ('SELECT * { ?s ?p "x"@service , "y"@en-SERVICE ; <http://x/service> <urn:SERVICE:x> }', []),
    # Escapes: in IRIs (decoded, then checked), in prefixed names (backslashes dropped, as Oxigraph does).
    ("SELECT * { SERVICE <http://\\u0061/> { ?s ?p ?o } }", ["http://a/"]),
    ("PREFIX e: <http://a/> SELECT * { ?s e:a\\#b\\'c\\% ?o . SERVICE e:x\\~y { ?s ?p ?o } }", ["http://a/x~y"]),
    # BASE and PREFIX: only in the prologue, resolved per RFC 3986, in order.
    ("BASE <http://a/b/c> SELECT * { SERVICE <../d> { ?s ?p ?o } }", ["http://a/d"]),
    ("BASE <http://a/b/c?q> SELECT * { SERVICE <?r> { ?s ?p ?o } }", ["http://a/b/c?r"]),
    ("BASE <http://a/b/> SELECT * { SERVICE <//other.example/s> { ?s ?p ?o } }", ["http://other.example/s"]),
    ("BASE <http://a/b/> BASE <c/> PREFIX e: <d/> SELECT * { SERVICE e:s { ?s ?p ?o } }", ["http://a/b/c/d/s"]),
    ("PREFIX e: <d/> SELECT * { SERVICE e:s { ?s ?p ?o } }", ["e:s"]),  # relative, no BASE: unresolved
    ("SELECT * { SERVICE <sparql> { ?s ?p ?o } }", ["sparql"]),  # the store resolves it against its own base
    ("PREFIX : <http://a/> SELECT * { ?s PREFIX: <http://evil/> . SERVICE :s { ?s ?p ?o } }", ["http://a/s"]),
    ("SELECT * { SERVICE <http://a/b/../c> { ?s ?p ?o } }", ["http://a/b/../c"]),  # kept as written
    # Update keywords in strings, IRIs and names are not updates; a query form comes first.
    ('SELECT * { ?s ?p "INSERT DATA { <a> <b> <c> }" ; <http://x/DELETE> e:drop }', []),
    # VALUES rows hold no expression, so IRIs with '#' side by side are IRIs.
    ("SELECT * { VALUES (?a ?b) { (<http://x#a> <http://x#b>) (<http://x#c> 'd') } SERVICE <http://a/> {} }",
     ["http://a/"]),
])
def test_more_service_targets(query, services):
    info = scan(query)
    assert info.problem is None and info.services == services


@pytest.mark.parametrize("query", [
    "SELECT * { ?s ?p ?b FILTER(?a<?b&&'>') SERVICE <http://evil/> { ?s ?p 'x' } }",
    "SELECT * { ?s ?p ?o FILTER(?o<?b#>'''\n) SERVICE <http://evil/> { ?s ?p ?o } ?s ?p '''x''' }",
    "SELECT * { FILTER(EXISTS{?s ?p ?o}<?b#>) SERVICE <http://evil/> {} }",
    'SELECT * { ?s ?p "open } SERVICE <http://evil/> {}',
    "SELECT * { ?s ?p '''open } SERVICE <http://evil/> {}",
    "SELECT * { ?s ?p ?o } \\u0023 SERVICE <http://evil/> {}",
    # SPARQL 1.1 stores decode escapes before parsing: there "\u0022" closes the string.
    'SELECT * { ?s ?p "a\\u0022 . SERVICE <http://evil/> { ?s ?p ?o } ?s ?p \\u0022" }',
    "SELECT * {" + " SERVICE <http://ok/sparql> {}" * 70 + " }",
])
def test_unreadable_or_two_way_queries_are_refused(query):
    with pytest.raises(QueryRefused) as err:
        check(query, allowed_services=frozenset({"http://ok/sparql"}))
    assert err.value.status == 400


@pytest.mark.parametrize("base, ref", [
    (b, r) for b in ("http://a/b/c/d;p?q", "http://h:5000", "http://a", "http://a/b/", "file:///x/y")  # (bases with no authority: see _resolve)
    for r in ("g", "./g", "g/", "/g", "//g", "?y", "g?y", "#s", "g#s", "g?y#s", ";x", "g;x", "", ".", "./", "..",
              "../", "../g", "../..", "../../", "../../g", "../../../g", "../../../../g", "/./g", "/../g", "g.",
              ".g", "g..", "..g", "./../g", "./g/.", "g/./h", "g/../h", "g;x=1/./y", "g;x=1/../y", "g?y/./x",
              "g?y/../x", "g#s/./x", "g#s/../x", "1/sparql", "http://o/a/./b/../c", "//o:8080/../x")
])
def test_resolution_matches_oxigraph(base, ref):
    import pyoxigraph as ox

    from registry.sparql.guard import _resolve

    try:
        rows = list(ox.Store().query(f"BASE <{base}> SELECT ?x {{ BIND(<{ref}> AS ?x) }}"))
        expected = rows[0]["x"].value
    except SyntaxError:
        expected = None
    assert _resolve(base, ref) == expected


def test_pathological_megabyte_queries_are_checked_fast():
    import time

    tail = " SERVICE <http://evil/> { ?s ?p ?o } }"
    size = 1_000_000
    cases = {
        "unterminated long string": "ASK { ?s ?p '''" + "a\\'" * (size // 3),
        "unterminated short string of escaped quotes": 'ASK { ?s ?p "' + '\\"' * (size // 2),
        "many quotes": "ASK { ?s ?p " + '"' * size + tail,
        "many < without >": "ASK { FILTER(?a " + "<" * size + ") }" + tail,
        "deep braces": "ASK " + "{" * (size // 2) + "}" * (size // 2) + tail,
    }
    for name, query in cases.items():
        start = time.perf_counter()
        with pytest.raises(QueryRefused):
            check(query, max_length=2 * size)
        elapsed = time.perf_counter() - start
        assert elapsed < 0.25, (name, elapsed)  # about 40-90 ms each on a 2-core machine


def test_codepoint_escapes_in_strings_and_iris_are_not_keywords():
    # Oxigraph (and SPARQL 1.2) decode \u escapes only inside strings and IRIs: these are plain text.
    assert check('SELECT * { ?s ?p "\\u0053ERVICE <http://x/>" }').services == []
    assert check("SELECT * { ?s ?p '\\u0053ERVICE' }").services == []


def test_codepoint_escaped_keyword_is_refused():
    for q in ("SELECT * { \\u0053ERVICE <http://evil/> { ?s ?p ?o } }",
              "SELECT * { \\U00000053ERVICE <http://evil/> { ?s ?p ?o } }",
              "SELECT * { SERVIC\\u0045 <http://evil/> { ?s ?p ?o } }"):
        with pytest.raises(QueryRefused):
            check(q, allowed_services=frozenset({"http://ok/sparql"}))


@pytest.mark.parametrize("query", [
    "", "SERVICE", "SERVICE SILENT", "SELECT * { SERVICE", "SELECT * { SERVICE SILENT", "PREFIX", "PREFIX e:",
    "BASE", "SELECT * { SERVICE <http://a/", 'SELECT * { ?s ?p "unterminated', "SELECT * { ?s ?p '''open",
    "}}}} SERVICE <http://a/> {{{{", "SELECT * { SERVICE e: }", "\x00SERVICE\x00<http://a/>", "\\", "<", "'", '"',
    "SELECT * { SERVICE _:b { } }", "SELECT * { SERVICE 42 { } }", "SELECT * { SERVICE ( ) { } }",
])
def test_malformed_queries_are_refused_or_passed_never_crash(query):
    try:
        info = check(query, allowed_services=frozenset({"http://a/"}))
    except QueryRefused:
        return
    assert all(target == "http://a/" for target in info.services)


def test_random_token_soup_never_crashes():
    import random

    pieces = ["SERVICE", "service", "SILENT", "PREFIX", "BASE", "e:", "e:a", "e:a\\#", ":x", "<http://a/>",
              "<x>", "<", ">", "{", "}", "(", ")", "'", '"', "'''", '"""', "\\", "\\u0053", "#", "\n", "\r",
              " ", "?x", "$y", "_:b", "@en", "^^", ".", ";", ",", "SELECT", "INSERT", "DATA"]
    rng = random.Random(20240611)
    for _ in range(2000):
        query = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        try:
            info = check(query, allowed_services=frozenset({"http://a/"}))
        except QueryRefused:
            continue
        assert all(target == "http://a/" for target in info.services), query


@pytest.mark.parametrize("opener, unit", [('"', '\\"'), ("'", "\\'"), ('"""', 'a\\"')])
def test_scan_is_linear_on_unterminated_strings(opener, unit):
    import time

    query = "ASK {} # \n" + opener + unit * 5_000  # 10-15 kB; linear: ~10 ms, quadratic: ~1-2 s
    start = time.perf_counter()
    try:
        check(query)
    except QueryRefused:
        pass
    assert time.perf_counter() - start < 0.5


# --- The guard against the store's own parser -----------------------------------------------------
# pyoxigraph has the same SPARQL parser and SERVICE client as `oxigraph serve`. Each query below runs
# in an in-memory pyoxigraph store whose SERVICE calls reach a recorder on 127.0.0.1 (HOST below);
# every endpoint that was really called must be among the targets the guard found.

HOST = "{host}"
AGREEMENT = [
    pytest.param("SELECT * { SERVICE <{host}/plain> { ?s ?p ?o } }", id="plain"),
    pytest.param("PREFIX e: <{host}/> SELECT * { SERVICE SILENT e:pname { ?s ?p ?o } }", id="pname"),
    pytest.param('SELECT * { { BIND("\\\\" AS ?v) } UNION { SERVICE <{host}/after-backslash-string> { ?s ?p ?o } } }',
                 id="after-backslash-string"),
    pytest.param("SELECT * { # c\rSERVICE <{host}/after-cr-comment> { ?s ?p ?o } }", id="after-cr-comment"),
    pytest.param("SELECT * { { ?x <http://x/it's#a> ?y } UNION { SERVICE <{host}/after-quote-iri> { ?s ?p ?o } } }",
                 id="after-quote-iri"),
    pytest.param("SELECT * { { ?x <http://x/\\u0061#> ?y } UNION { SERVICE <{host}/iri-escape> { ?s ?p ?o } } }",
                 id="iri-escape-then-hash"),
    pytest.param("PREFIX e: <http://x/> SELECT * { { ?x e:a\\# ?y } UNION "
                 "{ SERVICE <{host}/pname-hash> { ?s ?p ?o } } }",
                 id="pname-escaped-hash"),
    pytest.param("PREFIX e: <http://x/> SELECT * { { ?x e:a\\' ?y } UNION { SERVICE <{host}/pname-apos> { ?s ?p ?o } } "
                 "FILTER(?y != 'z') }", id="pname-escaped-apostrophe"),
    pytest.param("BASE <{host}/b> SELECT * { SERVICE <ase> { ?s ?p ?o } }", id="base-resolution"),
    # Oxigraph's parser backtracks out of a failed prefixed name or triple into a keyword glued to it.
    pytest.param("PREFIX : <{host}/> SELECT * { SERVICE:glued-pname { ?s ?p ?o } }", id="glued-service-colon"),
    pytest.param("PREFIX : <{host}/> PREFIX SERVICE: <http://x/> SELECT * { SERVICE:glued-declared { ?s ?p ?o } }",
                 id="glued-service-declared-prefix"),
    pytest.param("PREFIX e: <{host}/> SELECT * { SERVICEe:glued-prefix { ?s ?p ?o } }", id="glued-service-prefix"),
    pytest.param("SELECT * { SERVICEsilent<{host}/glued-silent> { ?s ?p ?o } }", id="glued-silent"),
    pytest.param("SELECT * { ?s ?p trueSERVICE <{host}/glued-true> { ?s ?p ?o } }", id="glued-after-true"),
    pytest.param("SELECT * { ?s ?p 1e5SERVICE <{host}/glued-double> { ?s ?p ?o } }", id="glued-after-double"),
    pytest.param("SELECT * { ?s ?p true.SERVICE <{host}/after-true-dot> { ?s ?p ?o } }", id="after-true-dot"),
    # A PREFIX glued to its name still redeclares it.
    pytest.param("PREFIX e: <http://good/> PREFIXe: <{host}/> SELECT * { SERVICE e:prefix-glued { ?s ?p ?o } }",
                 id="glued-prefix-redeclared"),
    # '<' after a value inside an expression is less-than, so the "'" in it starts a string.
    pytest.param("SELECT * { ?s ?p ?b FILTER(?a<?b&&'>') SERVICE <{host}/lt-quote> { ?s ?p 'x' } }",
                 id="less-than-then-quote"),
]


@pytest.fixture(scope="module")
def recorder():
    """(base URL, list of paths called) of a tiny SPARQL endpoint that answers one empty solution."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    calls: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            calls.append(self.path.split("?", 1)[0])
            body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", calls
    server.shutdown()
    thread.join(5)


@pytest.mark.parametrize("template", AGREEMENT)
def test_guard_agrees_with_oxigraph(template, recorder):
    import pyoxigraph as ox

    host, calls = recorder
    query = template.replace(HOST, host)
    calls.clear()
    store = ox.Store()  # one triple per literal the glued cases need, so their SERVICE is reached
    xsd_double = ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")
    for value in (ox.Literal(True), ox.Literal("1e5", datatype=xsd_double)):
        store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), value))
    list(store.query(query))  # a parse error here would mean the case itself is wrong
    called = {host + path for path in calls}
    assert called, "the store made no SERVICE call: the case tests nothing"
    info = scan(query)
    assert info.problem or called <= set(info.services), (called, info.services)
    if info.problem:  # the guard cannot read it the store's way for sure: check() refuses it
        with pytest.raises(QueryRefused):
            check(query, allowed_services=frozenset(info.services) | {host + p for p in calls})


# --- The fast scan (guard._SKIP, guard._Brackets) -------------------------------------------------
# The scan skips brackets and comments in one regex match and works out the brackets around an event
# only when it needs them (an IRI that might be less-than, a query form or update keyword), by
# re-reading the stretch since its last stop with the exact tokenizer. These cases need that state.

@pytest.mark.parametrize("query, expected", [
    # The query form counts only at brace depth 0: sub-selects do not set it, updates in groups are not updates.
    ("SELECT * { { SELECT * { ?s ?p ?o } } SERVICE <http://a/> {} }", ("SELECT", ["http://a/"], False)),
    ("{ SELECT * {} } INSERT DATA { <a> <b> <c> }", (None, [], True)),
    ("# { ( comments do not open brackets\nASK { SERVICE <http://a/> {} }", ("ASK", ["http://a/"], False)),
    ('SELECT * { ?s ?p "{" } INSERT DATA { <a> <b> <c> }', ("SELECT", [], False)),
    # After a VALUES block closes, '<' in an expression is less-than again; inside VALUES rows it never is.
    ("SELECT * { VALUES ?x { <http://x#a> } FILTER(?a < <http://x#b>) }", ("SELECT", [], False)),
    ("SELECT * { VALUES (?a ?b) { (<http://x#a> <http://x#b>) } SERVICE <http://a/> {} }",
     ("SELECT", ["http://a/"], False)),
    # A SERVICE target with '#' is skipped with its SERVICE, so it is never taken for less-than.
    ("SELECT * { FILTER(?a) SERVICE <http://a/#x> { ?s ?p ?o } }", ("SELECT", ["http://a/#x"], False)),
    # Names that start like a keyword but are not one, in every position.
    ("SELECT * { ?s a ?t ; ceterms:x ?c . FILTER(COUNT(?x) < 3 && DESC(?z)) SERVICE <http://a/> {} }",
     ("SELECT", ["http://a/"], False)),
    ("PREFIX se: <http://x/> SELECT * { ?s se:rvice ?o ; <http://x/SERVICE> ?p . SERVICE <http://a/> {} }",
     ("SELECT", ["http://a/"], False)),
    # Comments before and between prologue items; BASE counts as declared before the PREFIX.
    ("# c\n# SERVICE <http://x/>\nPREFIX e: <http://a/> # e\n SELECT * { SERVICE e:s {} }",
     ("SELECT", ["http://a/s"], False)),
    ("BASE <http://a/> PREFIX e: <x/> BASE <http://b/> SELECT * { SERVICE e:s {} }",
     ("SELECT", ["http://a/x/s"], False)),
])
def test_scan_state_at_events(query, expected):
    info = scan(query)
    assert info.problem is None
    assert (info.form, info.services, info.is_update) == expected


@pytest.mark.parametrize("query", [
    # Brackets opened long before the ambiguous '<' (the state is brought forward over them).
    "SELECT * { OPTIONAL { ?s ?p ?o } # (\n FILTER(?a<?b#>'''\n) SERVICE <http://evil/> {} ?s ?p '''x''' }",
    "SELECT * { VALUES ?x { 1 } FILTER(?a<?b&&'>') SERVICE <http://evil/> { ?s ?p 'x' } }",
    "SELECT * { SERVICE <http://ok/sparql> { FILTER((?a)<?b#>'''\n) } SERVICE <http://evil/> {} ?s ?p '''x''' }",
])
def test_ambiguous_less_than_found_after_skipped_brackets(query):
    with pytest.raises(QueryRefused, match="Ambiguous"):
        check(query, allowed_services=frozenset({"http://ok/sparql"}))


def test_keyword_classes_match_what_ignorecase_matched():
    import re

    from registry.sparql.guard import _ci

    for word in ("service", "silent", "select", "prefix", "base", "ask", "values", "insert", "with"):
        for letter in word:  # (every case fold of an ASCII letter is below U+2200)
            old, new = re.compile(f"(?i:{letter})"), re.compile(_ci(letter))
            assert all(bool(old.fullmatch(chr(c))) == bool(new.fullmatch(chr(c))) for c in range(0x2200)), letter
        assert re.fullmatch(_ci(word), word.upper()) and re.fullmatch(_ci(word), word)


@pytest.mark.parametrize("chars", ["\r\n", "'\\", "\"\\\r\n", "<>\"{}|^`\\" + "".join(map(chr, range(0x21)))])
def test_positive_classes_equal_negated_ones(chars):
    import re

    from registry.sparql.guard import _none_of

    negated, positive = re.compile("[^" + re.escape(chars) + "]"), re.compile(_none_of(chars))
    probes = list(range(0x3000)) + [0xD800, 0xDFFF, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF]
    assert all(bool(negated.fullmatch(chr(c))) == bool(positive.fullmatch(chr(c))) for c in probes)


def _soup(rng, n):
    pieces = ["SERVICE", "service", "SILENT", "e:a", "e:a\\#", ":x", "<http://a/>", "<http://x#a>", "<it's>", "<",
              "{", "}", "(", ")", "'x'", '"y"', "'''a''b'''", "#c\n", "\n", " ", " ", "?x", "_:b", "@en", ".", ";",
              "SELECT", "select", "ASK", "INSERT", "DATA", "VALUES", "VALUES (?a ?b) {", "FILTER(", "?a<?b", "&&",
              "1e5", "true", "trueSERVICE", "SERVICEe:s", "a", "COUNT", "ceterms:service", '"a\\u0022 b"', "drop"]
    return "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, n)))


def test_fast_and_exact_tokenizers_stop_at_the_same_events():
    """_SKIP's tokens are unions of _TOKEN's: both reach every event (non-dull token) at the same offset."""
    import random

    from registry.sparql.guard import _SKIP, _TOKEN

    def events(pattern, query):
        pos, out = 0, []
        while pos < len(query):
            m = pattern.match(query, pos)
            if m.lastgroup not in ("dull", "brackets", "comment"):
                out.append((m.lastgroup, pos, m.end()))
            pos = m.end()
        return out

    rng = random.Random(7)
    for _ in range(3000):
        query = _soup(rng, 40)
        assert events(_SKIP, query) == events(_TOKEN, query), query


def test_brackets_are_always_brought_forward():
    """The scan never loses its place (it would refuse with guard._LOST if the tokenizers disagreed)."""
    import random

    from registry.sparql.guard import _LOST

    rng = random.Random(11)
    for _ in range(3000):
        query = _soup(rng, 60)
        assert scan(query).problem != _LOST, query


# A differential test on generated queries: each is valid SPARQL that Oxigraph runs, with decoys (SERVICE
# in strings, comments, IRIs, names; brackets, VALUES, expressions) around real SERVICE calls. The guard
# must list exactly the endpoints Oxigraph calls.
DECOYS = [
    '?s0 ?p0 "SERVICE <{host}/decoy> {{ }}" .',
    "?s1 ?p1 'it\\'s SERVICE <{host}/decoy>' .",
    '?s2 ?p2 """a "quoted" SERVICE <{host}/decoy>\n""" .',
    "?s3 ?p3 ?o3 . # SERVICE <{host}/decoy> {{ }}\n",
    "?s4 <{host}/decoy#SERVICE> ?o4 .",
    "?s5 e:SERVICE e:service .",
    "?SERVICE ?p6 ?o6 .",
    "OPTIONAL {{ ?s7 ?p7 ?o7 FILTER(?o7 < 3 && ?o7 > 1) }}",
    "VALUES (?a8 ?b8) {{ (<http://x#a> 'b') (UNDEF \"SERVICE <{host}/decoy>\") }}",
    "FILTER NOT EXISTS {{ {{ ?s9 ?p9 'SERVICE' }} }}",
    '?s10 ?p10 "caf\\u00E9 \\" SERVICE <{host}/decoy>" .',
    "?s11 ?p11 'x'@service .",
    "{{ SELECT ?s12 WHERE {{ ?s12 ?p12 '#' }} LIMIT 1 }}",
    "?s13 ?p13 _:SERVICE .",
]
REAL = [
    "SERVICE <{host}/real{i}> {{ ?a{i} ?b{i} ?c{i} }}",
    "service silent e:real{i} {{ }}",
    "SERVICE:real{i} {{ }}",
    "SERVICEsilent<{host}/real{i}> {{ }}",
    "SeRvIcE # comment\n <{host}/real{i}> {{ }}",
]


def _generated_queries(host, count=40):
    import random

    rng = random.Random(20240611)
    for _ in range(count):
        decoys = " ".join(rng.sample(DECOYS, rng.randint(1, 5))).format(host=host)
        reals = [rng.choice(REAL).format(host=host, i=i) for i in range(rng.randint(1, 3))]
        branches = " UNION ".join("{ " + r + " }" for r in reals)
        yield (f"PREFIX e: <{host}/> PREFIX : <{host}/>\n"
               f"SELECT * WHERE {{ {{ {decoys} }} UNION {branches} }}")


def test_generated_queries_agree_with_oxigraph(recorder):
    import pyoxigraph as ox

    host, calls = recorder
    checked = 0
    for query in _generated_queries(host):
        calls.clear()
        list(ox.Store().query(query))  # a syntax error here would mean the generator is wrong
        called = {host + path for path in calls}
        assert called and not any("decoy" in c for c in called), (query, called)
        info = scan(query)
        assert info.problem is None, (query, info.problem)
        assert set(info.services) == called, (query, info.services, called)
        checked += 1
    assert checked == 40


def test_the_guard_checks_its_python_when_loaded():
    """On a Python whose re module mishandles possessive quantifiers (3.11.2) the module refuses to
    load; here it loaded, so the probes found what they should."""
    from registry.sparql import guard

    guard._self_check()  # raises ImportError on such a Python
    assert scan("select * { service <http://a/> { ?s ?p ?o } }").services == ["http://a/"]
