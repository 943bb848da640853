from calc import add


def test_adds_zero():
    assert add(7, 0) == 7
