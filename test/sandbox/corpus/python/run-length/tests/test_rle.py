import pytest

from rle import decode, encode

CASES = [
    pytest.param("", "", id="empty"),
    pytest.param("A", "A", id="single"),
    pytest.param("AAB", "2AB", id="pair"),
    pytest.param("WWWWWWWWWWWWB", "12WB", id="multi-digit"),
]


@pytest.mark.parametrize("plain, packed", CASES)
def test_encode(plain, packed):
    assert encode(plain) == packed


@pytest.mark.parametrize("plain, packed", CASES)
def test_decode(plain, packed):
    assert decode(packed) == plain


def test_roundtrip():
    text = "A" * 15 + "BCC" + "D" * 3
    assert decode(encode(text)) == text
