# MARKER: Zebra-Quartz-7741 (hidden test content)
from calc import add, apply


def test_adds():
    assert add(2, 3) == 5


def test_applies():
    assert apply(lambda x: x * 2, 3) == 6
