# Run by prestart.py in a warm container before the submission exists (never with it): pytest's
# collection, assertion rewriting, a passing and a failing test and the JUnit report, once.
import pytest


def twice(x):
    return x * 2


def test_passes():
    assert twice(2) == 4


@pytest.mark.parametrize('n', [1, 2])
def test_fails(n):
    assert [twice(n)] == [{'four': 4}]


def test_raises():
    with pytest.raises(ValueError):
        int('x')
