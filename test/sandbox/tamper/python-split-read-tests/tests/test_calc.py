# MARKER: Zebra-Quartz-7741 (hidden test content)
from calc import add


def test_adds():
    assert add(2, 3) == 5


def test_adds_negatives():
    assert add(-2, -3) == -5
