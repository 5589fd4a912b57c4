"""The SERVICE allow-list's address checks (no network needed: literal addresses and localhost)."""

import pytest

from registry.sparql.federation import Federation, FederationRefused, internal_reason


@pytest.mark.parametrize("host, words", [
    ("127.0.0.1", "loopback"), ("localhost", "loopback"), ("10.1.2.3", "private"), ("192.168.0.9", "private"),
    ("172.16.5.5", "private"), ("169.254.169.254", "metadata"), ("[::1]", "loopback"), ("fe80::1", "link-local"),
    ("metadata.google.internal", "metadata"), ("0.0.0.0", "reserved"),
])
def test_internal_addresses(host, words):
    assert words in internal_reason(host)


def test_public_address_is_fine():
    assert internal_reason("8.8.8.8") is None


def test_allow_list():
    with pytest.raises(FederationRefused, match="--federate-private"):
        Federation.from_config(["http://127.0.0.1:9999/sparql"])
    fed = Federation.from_config(["http://127.0.0.1:9999/sparql"], allow_private=True)
    fed.check("http://127.0.0.1:9999/sparql")
    with pytest.raises(FederationRefused, match="allow-list"):
        fed.check("http://127.0.0.1:9998/sparql")
    with pytest.raises(FederationRefused, match="http"):
        Federation.from_config(["ftp://8.8.8.8/sparql"])
