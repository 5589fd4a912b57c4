"""HTML pages: content, escaping, links, well-formedness."""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser

import pyoxigraph
import pytest

from registry.pages import PageRenderer, ResourceSummary, safe_json_for_script
from registry.paths import STATIC_DIR

CETERMS = "https://purl.org/ctdl/terms/"
CRED_CTID = "ce-11111111-1111-4111-8111-111111111111"
ORG_CTID = "ce-22222222-2222-4222-8222-222222222222"
PROG_CTID = "ce-33333333-3333-4333-8333-333333333333"
FW_CTID = "ce-44444444-4444-4444-8444-444444444444"
CRED = "https://example.org/credentials/bs-cs"
ORG = "https://example.org/orgs/example-u"
PROG = "https://example.org/programs/cs"

PREFIXES = """
@prefix ceterms: <https://purl.org/ctdl/terms/> .
@prefix ceasn: <https://purl.org/ctdlasn/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

CREDENTIAL_TTL = PREFIXES + f"""
<{CRED}> a ceterms:BachelorDegree ;
  ceterms:ctid "{CRED_CTID}" ;
  ceterms:name "Computer Science <script>alert(1)</script>"@en-US , "Informatique"@fr ;
  ceterms:description "Learn to build software. </script><script>alert(2)</script> Then more text."@en-US ;
  ceterms:subjectWebpage <https://example.org/bs-cs> ;
  ceterms:ownedBy <{ORG}> ;
  ceterms:offeredBy <https://elsewhere.example/org/7> ;
  ceterms:credentialStatusType [
      a ceterms:CredentialAlignmentObject ;
      ceterms:targetNode <https://purl.org/ctdl/vocabs/credentialStat/Active> ;
      ceterms:targetNodeName "Active"@en-US ] ;
  ceterms:audienceLevelType <https://purl.org/ctdl/vocabs/audLevel/BachelorsDegreeLevel> ;
  ceterms:occupationType [
      a ceterms:CredentialAlignmentObject ;
      ceterms:codedNotation "15-1252.00" ;
      ceterms:targetNodeName "Software Developers"@en-US ;
      ceterms:targetNode <https://www.onetonline.org/link/summary/15-1252.00> ;
      ceterms:frameworkName "O*NET-SOC"@en-US ] ;
  ceterms:requires [
      a ceterms:ConditionProfile ;
      ceterms:description "Applicants need a high school diploma."@en-US ;
      ceterms:targetLearningOpportunity <{PROG}> ;
      ceterms:estimatedDuration [ a ceterms:DurationProfile ; ceterms:exactDuration "P4Y"^^xsd:duration ] ;
      ceterms:condition "Minimum GPA of 3.0"@en-US , "Two letters of reference"@en-US ] ;
  ceterms:estimatedCost [
      a ceterms:CostProfile ;
      ceterms:price "12000.50"^^xsd:decimal ;
      ceterms:currency "USD" ;
      ceterms:costDetails <javascript:alert(3)> ;
      ceterms:directCostType <https://purl.org/ctdl/vocabs/costType/Tuition> ] ;
  ceterms:isPreparationFor <urn:example:not-a-web-link> ;
  ceterms:keyword "software"@en-US , "logiciel"@fr .
"""

ORG_TTL = PREFIXES + f"""
<{ORG}> a ceterms:CredentialOrganization ;
  ceterms:ctid "{ORG_CTID}" ;
  ceterms:name "Example University"@en ;
  ceterms:description "A university."@en ;
  ceterms:subjectWebpage <https://example.org/> ;
  ceterms:agentType <https://purl.org/ctdl/vocabs/orgType/FourYear> ;
  ceterms:address [
      a ceterms:Place ;
      ceterms:streetAddress "1 Main St"@en ;
      ceterms:addressLocality "Springfield"@en ;
      ceterms:targetContactPoint [ a ceterms:ContactPoint ; ceterms:telephone "+1 555 0100" ; ceterms:email "info@example.org" ] ] ;
  ceterms:owns <{CRED}> .
"""

FW = "https://example.org/frameworks/it"
C = "https://example.org/competencies/"
FRAMEWORK_TTL = PREFIXES + f"""
<{FW}> a ceasn:CompetencyFramework ;
  ceasn:ctid "{FW_CTID}" ;
  ceasn:name "IT Skills Framework"@en-US ;
  ceasn:description "Skills for IT work."@en-US ;
  ceasn:publisher <{ORG}> ;
  ceasn:hasTopChild <{C}a> , <{C}b> .
<{C}a> a ceasn:Competency ; ceasn:ctid "ce-aaaaaaaa-0000-4000-8000-000000000001" ;
  ceasn:competencyText "Program computers"@en-US ; ceasn:codedNotation "A" ;
  ceasn:isPartOf <{FW}> ; ceasn:isTopChildOf <{FW}> ;
  ceasn:hasChild <{C}a1> , <{C}a2> .
<{C}a1> a ceasn:Competency ; ceasn:competencyText "Write Python <b>code</b>"@en-US ; ceasn:codedNotation "A.1" ;
  ceasn:isChildOf <{C}a> .
<{C}a2> a ceasn:Competency ; ceasn:competencyText "Write SQL"@en-US ; ceasn:codedNotation "A.2" ;
  ceasn:isChildOf <{C}a> ; ceasn:hasChild <{C}a2x> .
<{C}a2x> a ceasn:Competency ; ceasn:competencyText "Join tables"@en-US ; ceasn:isChildOf <{C}a2> ;
  ceasn:hasChild <{C}a> .
<{C}b> a ceasn:Competency ; ceasn:competencyText "Operate networks"@en-US ; ceasn:isTopChildOf <{FW}> .
<{C}orphan> a ceasn:Competency ; ceasn:competencyText "Orphan skill"@en-US .
"""

SUMMARIES = {
    ORG: ResourceSummary(ORG_CTID, ORG, CETERMS + "CredentialOrganization", "Example University"),
    PROG: ResourceSummary(PROG_CTID, PROG, CETERMS + "LearningProgram", "CS <Program>",
                          owner_ctid=ORG_CTID, owner_name="Example University"),
}


def parse(ttl: str) -> list:
    return list(pyoxigraph.parse(ttl, format=pyoxigraph.RdfFormat.TURTLE))


def jsonld_of(ttl: str) -> str:
    """A JSON-LD string for the graph (the real one comes from the store)."""
    out = {"@graph": [{"@id": t.subject.value, str(t.predicate.value): t.object.value} for t in parse(ttl)]}
    return json.dumps(out)


# ---------------------------------------------------------------------------
# A strict well-formedness check: every non-void element closed, in order.
# ---------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class StrictChecker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, tuple]] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script_attrs = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs_d = dict(attrs)
        self.tags.append((tag, attrs_d))
        if "id" in attrs_d:
            self.ids.append(attrs_d["id"])
        if tag == "script":
            self._script_attrs = attrs_d
            self._script_text = []
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        self.errors.append(f"self-closing <{tag}/> at {self.getpos()}")
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            self.errors.append(f"end tag for void <{tag}> at {self.getpos()}")
            return
        if not self.stack:
            self.errors.append(f"stray </{tag}> at {self.getpos()}")
            return
        top, pos = self.stack.pop()
        if top != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} closes <{top}> opened at {pos}")
        if tag == "script" and self._script_attrs is not None:
            self.scripts.append((self._script_attrs, "".join(self._script_text)))
            self._script_attrs = None

    def handle_data(self, data):
        if self._script_attrs is not None:
            self._script_text.append(data)
        else:
            self.text.append(data)


def check_html(html: str) -> StrictChecker:
    assert html.startswith("<!DOCTYPE html>")
    checker = StrictChecker()
    checker.feed(html)
    checker.close()
    assert not checker.errors, checker.errors
    assert not checker.stack, f"unclosed: {checker.stack}"
    assert len(checker.ids) == len(set(checker.ids)), "duplicate ids"
    names = [t for t, _ in checker.tags]
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in names
    assert names.count("main") == 1
    assert names.count("h1") == 1
    return checker


def links(checker: StrictChecker, rel: str | None = None, tag: str = "a") -> list[dict]:
    return [a for t, a in checker.tags if t == tag and (rel is None or rel in (a.get("rel") or "").split())]


@pytest.fixture(scope="module")
def renderer():
    return PageRenderer()


def lookup(iri):
    return SUMMARIES.get(iri)


@pytest.fixture(scope="module")
def credential_page(renderer):
    jsonld = json.dumps({
        "@id": CRED,
        "ceterms:name": "Computer Science <script>alert(1)</script>",
        "ceterms:description": "</script><script>alert(2)</script> & more",
    })
    return renderer.resource_page(CRED_CTID, parse(CREDENTIAL_TTL), main_iri=CRED, lookup=lookup,
                                  updated="2024-05-01T12:30:00Z", jsonld=jsonld)


# ---------------------------------------------------------------------------
# Resource pages
# ---------------------------------------------------------------------------


def test_credential_page_content(credential_page):
    html = credential_page
    check_html(html)
    assert '<html lang="en">' in html
    assert "Bachelor&#39;s Degree" in html  # the type's CTDL label
    assert "<h1>Computer Science &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in html
    assert "Informatique" not in html  # English name chosen
    assert CRED_CTID in html
    # labels from the vocabulary
    for label in ("Owned By", "Offered By", "Subject Webpage", "Requires", "Estimated Cost", "Condition Profile",
                  "Cost Profile", "Duration Profile", "Exact Duration", "Target Learning Opportunity"):
        assert label in html, label
    # nested profile text
    assert "Applicants need a high school diploma." in html
    assert "Minimum GPA of 3.0" in html and "Two letters of reference" in html
    assert "12000.50" in html and "USD" in html
    assert "4 years" in html
    # controlled vocabulary concepts
    assert "Bachelors Degree Level" in html
    assert ">Active<" in html
    assert ">Tuition<" in html
    # alignment: name, code, link to target node
    assert "Software Developers" in html and "15-1252.00" in html
    assert 'href="https://www.onetonline.org/link/summary/15-1252.00"' in html
    # last updated
    assert "Last updated" in html and 'datetime="2024-05-01T12:30:00Z"' in html
    # keyword: English value only
    assert "software" in html and "logiciel" not in html


def test_credential_page_links(credential_page):
    checker = check_html(credential_page)
    anchors = links(checker)
    hrefs = {a["href"]: a for a in anchors}
    # looked-up organization and program link to registry pages with their names
    assert f"/resources/{ORG_CTID}" in hrefs
    assert f'<a href="/resources/{ORG_CTID}" title="Credential Organization">Example University</a>' in credential_page
    assert f"/resources/{PROG_CTID}" in hrefs
    assert "CS &lt;Program&gt;" in credential_page
    assert "rel" not in hrefs[f"/resources/{ORG_CTID}"]
    # unknown http(s) IRIs: external, nofollow
    assert hrefs["https://elsewhere.example/org/7"]["rel"] == "nofollow"
    assert hrefs["https://example.org/bs-cs"]["rel"] == "nofollow"
    # non-http IRIs are text, never links
    assert not any(a["href"].startswith(("javascript:", "urn:")) for a in anchors)
    assert "javascript:alert(3)" in credential_page
    assert "urn:example:not-a-web-link" in credential_page
    # alternates and canonical
    head_links = links(checker, tag="link")
    canonical = [a for a in head_links if a.get("rel") == "canonical"]
    assert [a["href"] for a in canonical] == [f"/resources/{CRED_CTID}"]
    alternates = {a["type"]: a["href"] for a in head_links if a.get("rel") == "alternate"}
    assert alternates == {
        "text/turtle": f"/resources/{CRED_CTID}.ttl",
        "application/ld+json": f"/resources/{CRED_CTID}.jsonld",
        "application/n-triples": f"/resources/{CRED_CTID}.nt",
    }
    for suffix in (".ttl", ".jsonld", ".nt"):
        assert f"/resources/{CRED_CTID}{suffix}" in hrefs
    assert "/static/style.css" in [a["href"] for a in head_links if a.get("rel") == "stylesheet"]
    # every site link is root-relative with base_url ""
    for a in anchors:
        href = a["href"]
        assert href.startswith(("/", "#", "?", "https://", "http://")), href


def test_escaping_and_jsonld_block(credential_page):
    html = credential_page
    checker = check_html(html)
    # provider text never becomes markup
    assert "<script>alert" not in html
    assert "alert(1)" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in html
    # exactly one script element: the JSON-LD, intact and parseable
    assert len(checker.scripts) == 1
    attrs, body = checker.scripts[0]
    assert attrs == {"type": "application/ld+json"}
    assert "<" not in body and ">" not in body and "&" not in body
    data = json.loads(body)
    assert data["ceterms:name"] == "Computer Science <script>alert(1)</script>"
    assert data["ceterms:description"] == "</script><script>alert(2)</script> & more"
    # meta description: the description, escaped, at most 160 characters
    meta = [a for t, a in checker.tags if t == "meta" and a.get("name") == "description"]
    assert len(meta) == 1
    content = meta[0]["content"]
    assert content.startswith("Learn to build software. </script>") and len(content) <= 160


def test_safe_json_for_script():
    out = safe_json_for_script('{"a": "</script>&<!--", "b": "\u2028"}')
    assert "<" not in out and ">" not in out and "&" not in out
    assert json.loads(str(out)) == {"a": "</script>&<!--", "b": "\u2028"}


def test_organization_page_nested_place_and_contact(renderer):
    html = renderer.resource_page(ORG_CTID, parse(ORG_TTL), main_iri=ORG, lookup=lookup, jsonld="{}")
    check_html(html)
    assert "<h1>Example University</h1>" in html
    assert "Credential Organization" in html
    for text in ("Place", "1 Main St", "Springfield", "Contact Point", "+1 555 0100", "info@example.org"):
        assert text in html, text
    assert ">Four-Year College<" in html  # orgType concept label
    assert "Last updated" not in html  # no timestamp given


def test_competency_framework_tree(renderer):
    triples = parse(FRAMEWORK_TTL)
    html = renderer.resource_page(FW_CTID, triples, main_iri=FW, lookup=lookup, jsonld="{}")
    checker = check_html(html)
    assert "<h1>IT Skills Framework</h1>" in html
    assert "Competency Framework" in html
    assert "Competencies" in html
    assert f'href="/resources/{ORG_CTID}"' in html  # publisher looked up
    assert "Write Python &lt;b&gt;code&lt;/b&gt;" in html
    # nesting: A contains A.1 and A.2, A.2 contains "Join tables"
    tree_start = html.index('class="tree"')
    a = html.index("Program computers", tree_start)
    a1 = html.index("Write Python", tree_start)
    a2 = html.index("Write SQL", tree_start)
    a2x = html.index("Join tables", tree_start)
    b = html.index("Operate networks", tree_start)
    assert a < a1 < a2 < a2x < b
    # depth via the checker: count <ul class="tree"> ancestors of each item
    depth = tree_depths(html)
    assert depth["Program computers"] == 1
    assert depth["Write Python <b>code</b>"] == 2
    assert depth["Join tables"] == 3
    assert depth["Operate networks"] == 1
    assert depth["Orphan skill"] == 1  # not linked into the hierarchy: still shown
    # the cycle (a2x hasChild a) did not loop: each competency appears once as an item
    assert html.count(">Program computers<") == 1
    assert "item-ce-aaaaaaaa-0000-4000-8000-000000000001" in checker.ids
    # competencies are not repeated as generic property dumps
    assert "Has Top Child" not in html


def tree_depths(html: str) -> dict[str, int]:
    class Depths(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.out, self.in_item = [], {}, False

        def handle_starttag(self, tag, attrs):
            cls = dict(attrs).get("class") or ""
            self.stack.append((tag, cls))

        def handle_endtag(self, tag):
            self.stack.pop()

        def handle_data(self, data):
            if self.stack and self.stack[-1][1] == "item-text":
                self.out[data] = sum(1 for t, c in self.stack if t == "ul" and c == "tree")

    parser = Depths()
    parser.feed(html)
    return parser.out


def test_cycles_and_depth_are_bounded(renderer):
    # blank nodes pointing at each other, and a chain deeper than the limit
    chain = " ".join(f"_:n{i} a ceterms:ConditionProfile ; ceterms:name \"level {i}\" ; ceterms:requires _:n{i + 1} ."
                     for i in range(12))
    ttl = PREFIXES + f"""
<{CRED}> a ceterms:Certificate ; ceterms:ctid "{CRED_CTID}" ; ceterms:name "Loopy" ;
  ceterms:requires _:x , _:n0 .
_:x a ceterms:ConditionProfile ; ceterms:name "x" ; ceterms:requires _:y .
_:y a ceterms:ConditionProfile ; ceterms:name "y" ; ceterms:requires _:x ; ceterms:isRequiredFor <{CRED}> .
{chain}
"""
    html = renderer.resource_page(CRED_CTID, parse(ttl), main_iri=CRED, lookup=lookup, jsonld="{}")
    check_html(html)
    assert "circular reference" in html
    assert "level 5" in html and "level 9" not in html
    assert "nested too deeply" in html
    assert f'href="/resources/{CRED_CTID}"' in html  # self-reference links to this page


def test_base_url_prefixes_every_site_link():
    renderer = PageRenderer(base_url="https://reg.example/ctdl/", site_name="Demo <Registry>")
    html = renderer.resource_page(CRED_CTID, parse(CREDENTIAL_TTL), main_iri=CRED, lookup=lookup,
                                  jsonld="{}")
    checker = check_html(html)
    assert f'<link rel="canonical" href="https://reg.example/ctdl/resources/{CRED_CTID}">' in html
    assert 'href="https://reg.example/ctdl/static/style.css"' in html
    assert f'href="https://reg.example/ctdl/resources/{ORG_CTID}"' in html
    assert "Demo &lt;Registry&gt;" in html
    for tag, attrs in checker.tags:
        href = attrs.get("href") or ""
        if href.startswith("/"):
            pytest.fail(f"root-relative link ignores base_url: {href}")


# ---------------------------------------------------------------------------
# Index, home and error pages
# ---------------------------------------------------------------------------


def summaries(n: int) -> list[ResourceSummary]:
    return [
        ResourceSummary(f"ce-{i:08d}-0000-4000-8000-000000000000", f"https://example.org/r/{i}",
                        CETERMS + "BachelorDegree", f"Degree {i} <i>", description="About it",
                        owner_ctid=ORG_CTID if i % 2 else None, owner_name="Example University",
                        updated="2024-06-0%dT10:00:00+02:00" % (1 + i % 9))
        for i in range(n)
    ]


def test_index_page_and_pagination(renderer):
    counts = {CETERMS + "BachelorDegree": 120, CETERMS + "CredentialOrganization": 7,
              "https://purl.org/ctdlasn/terms/CompetencyFramework": 3}
    html = renderer.index_page(summaries(20), title="All resources", page=3, pages=9, counts_by_type=counts)
    checker = check_html(html)
    hrefs = [a["href"] for a in links(checker)]
    assert "<h1>All resources</h1>" in html
    assert "/resources/ce-00000003-0000-4000-8000-000000000000" in hrefs
    assert "Degree 3 &lt;i&gt;" in html
    assert f"/resources/{ORG_CTID}" in hrefs  # owner linked
    assert "Bachelor&#39;s Degree" in html
    # pagination
    for n in (1, 2, 4, 5, 9):
        assert f"?page={n}" in hrefs, n
    assert "?page=7" not in hrefs  # windowed, with a gap
    current = [a for a in links(checker) if a.get("aria-current") == "page" and a["href"].startswith("?")]
    assert [a["href"] for a in current] == ["?page=3"]
    assert [a["href"] for a in links(checker, rel="prev")] == ["?page=2"]
    assert [a["href"] for a in links(checker, rel="next")] == ["?page=4"]
    assert "Page 3 of 9" in html
    # counts by type, linked by class local name
    assert "?type=BachelorDegree" in hrefs and "?type=CompetencyFramework" in hrefs
    assert "120" in html and "Competency Framework" in html
    assert "2024-06-" in html


def test_index_page_edges(renderer):
    html = renderer.index_page([], title="Nothing <here>")
    check_html(html)
    assert "No resources found." in html
    assert "?page=" not in html
    assert "Nothing &lt;here&gt;" in html
    html = renderer.index_page(summaries(3), page=2, pages=2, type_filter="BachelorDegree")
    check_html(html)
    assert 'href="?type=BachelorDegree&amp;page=1"' in html
    assert "rel=\"next\"" not in html
    html = renderer.index_page(summaries(3), page=1, pages=3, page_href=lambda n: f"page-{n}.html")
    check_html(html)
    assert 'href="page-2.html" rel="next"' in html


def test_home_page(renderer):
    html = renderer.home_page({CETERMS + "BachelorDegree": 4, CETERMS + "CredentialOrganization": 2},
                              summaries(3))
    checker = check_html(html)
    hrefs = [a["href"] for a in links(checker)]
    for target in ("/", "/resources", "/sparql", "/validate", "/docs"):
        assert target in hrefs, target
    assert "/resources?type=BachelorDegree" in hrefs
    assert "/resources/ce-00000001-0000-4000-8000-000000000000" in hrefs
    assert "Recent changes" in html and "SPARQL" in html
    assert "CTDL vocabulary © Credential Engine, " in html and "CC BY 4.0" in html
    assert 'class="skip-link" href="#main"' in html
    assert "6 resources" in html


def test_error_page(renderer):
    html = renderer.error_page(404, "Not found", "No resource <ce-x> here")
    check_html(html)
    assert "404" in html and "<h1" in html and "Not found" in html
    assert "No resource &lt;ce-x&gt; here" in html


def test_stylesheet_is_local():
    css = (STATIC_DIR / "style.css").read_text(encoding="utf-8")
    assert ":focus-visible" in css and ".skip-link" in css
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", css)


def test_render_time_typical_page(renderer):
    """A ~100-triple credential renders in a few milliseconds."""
    extra = "\n".join(
        f"<{CRED}> ceterms:requires [ a ceterms:ConditionProfile ; ceterms:description \"Condition {i}\"@en ; "
        f"ceterms:targetLearningOpportunity <https://example.org/p/{i}> ; ceterms:estimatedCost [ a ceterms:CostProfile ; "
        f"ceterms:price \"{i}00\"^^xsd:decimal ; ceterms:currency \"USD\" ] ] ."
        for i in range(10)
    )
    triples = parse(CREDENTIAL_TTL + extra)
    assert 90 <= len(triples) <= 130
    renderer.resource_page(CRED_CTID, triples, main_iri=CRED, lookup=lookup, jsonld="{}")  # warm up
    runs = 20
    start = time.perf_counter()
    for _ in range(runs):
        renderer.resource_page(CRED_CTID, triples, main_iri=CRED, lookup=lookup, jsonld="{}")
    per_page_ms = (time.perf_counter() - start) / runs * 1000
    print(f"\nrender {len(triples)} triples: {per_page_ms:.2f} ms")
    assert per_page_ms < 200
