from anagrams import group_anagrams


def as_sets(groups):
    return sorted(sorted(g) for g in groups)


def test_groups():
    got = group_anagrams(["eat", "tea", "tan", "ate", "nat", "bat"])
    assert as_sets(got) == [["ate", "eat", "tea"], ["bat"], ["nat", "tan"]]


def test_no_anagrams():
    assert as_sets(group_anagrams(["abc", "def"])) == [["abc"], ["def"]]


def test_empty():
    assert group_anagrams([]) == []


def test_order():
    got = group_anagrams(["zoo", "cat", "ooz", "act"])
    assert got == [["zoo", "ooz"], ["cat", "act"]]
