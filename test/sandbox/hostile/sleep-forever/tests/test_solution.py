from solution import solve


def test_solve():
    assert solve() == 42
