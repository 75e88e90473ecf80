"""app/dav/digest.py: RFC 7616's own examples, the nonce count, and reading challenges."""

from __future__ import annotations

import re

import pytest

from app.dav import digest
from app.dav.digest import DigestAuth, parse_challenges

# RFC 7616 §3.9.1
RFC_CHALLENGE = (
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={alg}, '
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", '
    'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'
)
RFC_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"


def _fields(header: str) -> dict[str, str]:
    assert header.startswith("Digest ")
    return {k: v1 or v2 for k, v1, v2 in re.findall(r'([\w*]+)=(?:"([^"]*)"|([^,\s]*))', header)}


@pytest.mark.parametrize(
    ("alg", "expected"),
    [
        ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
        ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ],
)
def test_the_rfc_7616_examples(monkeypatch: pytest.MonkeyPatch, alg: str, expected: str) -> None:
    monkeypatch.setattr(digest, "_cnonce", lambda: RFC_CNONCE)
    auth = DigestAuth("Mufasa", "Circle of Life")
    assert auth.authorization("GET", "/dir/index.html", None) is None  # no challenge yet
    assert auth.take_challenge(RFC_CHALLENGE.format(alg=alg))
    fields = _fields(auth.authorization("GET", "/dir/index.html", None) or "")
    assert fields["response"] == expected
    assert fields["qop"] == "auth" and fields["nc"] == "00000001"
    assert fields["opaque"] == "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
    assert fields["algorithm"] == alg and fields["username"] == "Mufasa"
    assert "Circle" not in repr(auth)


def test_the_nonce_count_goes_up_and_starts_again_with_a_new_nonce() -> None:
    auth = DigestAuth("anna", "geheim")
    assert auth.take_challenge('Digest realm="r", nonce="n1", qop="auth"')
    counts = [_fields(auth.authorization("PROPFIND", "/", None) or "")["nc"] for _ in range(3)]
    assert counts == ["00000001", "00000002", "00000003"]
    auth.take_challenge('Digest realm="r", nonce="n1", qop="auth"')  # same nonce: goes on
    assert _fields(auth.authorization("GET", "/", None) or "")["nc"] == "00000004"
    auth.take_challenge('Digest realm="r", nonce="n2", qop="auth", stale=true')
    assert _fields(auth.authorization("GET", "/", None) or "")["nc"] == "00000001"


def test_challenges_among_others_and_the_stronger_algorithm() -> None:
    header = (
        'Basic realm="x", Digest realm="r", nonce="a,b", algorithm=MD5, qop="auth", '
        'Digest realm="r", nonce="n2", algorithm=SHA-256, qop="auth", Negotiate'
    )
    schemes = [scheme for scheme, _ in parse_challenges(header)]
    assert schemes == ["basic", "digest", "digest", "negotiate"]
    assert parse_challenges(header)[1][1]["nonce"] == "a,b"
    auth = DigestAuth("anna", "geheim")
    assert auth.take_challenge(header)
    fields = _fields(auth.authorization("GET", "/x", None) or "")
    assert fields["algorithm"] == "SHA-256" and fields["nonce"] == "n2"
    assert not DigestAuth("a", "b").take_challenge('Digest realm="r", nonce="n", algorithm=SHA-512')
    assert not DigestAuth("a", "b").take_challenge('Basic realm="r"')
    assert auth.stale('Digest realm="r", nonce="n3", stale=TRUE')
    assert not auth.stale('Digest realm="r", nonce="n3"')


def test_without_qop_and_a_name_beyond_ascii() -> None:
    auth = DigestAuth("Jörg", "pässwort")
    assert auth.take_challenge('Digest realm="r", nonce="n"')  # RFC 2069: no qop
    header = auth.authorization("GET", "/a", None) or ""
    assert "qop" not in header and "nc=" not in header
    assert "username*=UTF-8''J%C3%B6rg" in header
    header.encode("latin-1")  # what http.client sends
