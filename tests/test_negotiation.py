from registry.negotiation import negotiate

OFFERS = ["text/html", "application/ld+json", "text/turtle", "application/n-triples"]


def test_negotiate():
    assert negotiate(None, OFFERS) == "text/html"
    assert negotiate("text/turtle", OFFERS) == "text/turtle"
    assert negotiate("application/ld+json;q=0.9, text/turtle;q=0.5", OFFERS) == "application/ld+json"
    assert negotiate("text/*", OFFERS) == "text/html"
    assert negotiate("image/png", OFFERS) is None
    assert negotiate("text/html;q=0, */*;q=0.1", OFFERS) == "application/ld+json"
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert negotiate(browser, OFFERS) == "text/html"
