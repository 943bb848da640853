from solution import start_daemons


def test_starts():
    assert start_daemons() == 42
