import unittest

from search import find


class TestFind(unittest.TestCase):
    def setUp(self):
        self.seq = [1, 3, 5, 7, 9, 11]

    def test_found_middle(self):
        self.assertEqual(find(self.seq, 7), 3)

    def test_found_first(self):
        self.assertEqual(find(self.seq, 1), 0)

    def test_found_last(self):
        self.assertEqual(find(self.seq, 11), 5)

    def test_missing(self):
        self.assertEqual(find(self.seq, 4), -1)

    def test_empty(self):
        self.assertEqual(find([], 1), -1)
