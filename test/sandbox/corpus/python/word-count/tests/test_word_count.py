from word_count import count_words


def test_single():
    assert count_words("word") == {"word": 1}


def test_repeated():
    assert count_words("one fish two fish") == {"one": 1, "fish": 2, "two": 1}


def test_case_insensitive():
    assert count_words("Go go GO") == {"go": 3}


def test_punctuation():
    assert count_words("hello, world! hello...") == {"hello": 2, "world": 1}


def test_empty():
    assert count_words("") == {}
