from brackets import is_balanced


def test_empty():
    assert is_balanced("") is True


def test_simple_pairs():
    assert is_balanced("()[]{}") is True


def test_nested():
    assert is_balanced("{[()()]}") is True


def test_wrong_order():
    assert is_balanced("([)]") is False


def test_unclosed():
    assert is_balanced("((") is False and is_balanced("}{") is False


def test_ignores_other_chars():
    assert is_balanced("f(x[1]) { return y; }") is True
