import unittest

from roman import to_roman


class TestRoman(unittest.TestCase):
    def test_simple(self):
        self.assertEqual([to_roman(n) for n in (1, 5, 10, 50)], ["I", "V", "X", "L"])

    def test_additive(self):
        self.assertEqual(to_roman(3), "III")
        self.assertEqual(to_roman(8), "VIII")
        self.assertEqual(to_roman(27), "XXVII")

    def test_subtractive(self):
        self.assertEqual([to_roman(n) for n in (4, 9, 40, 900)], ["IV", "IX", "XL", "CM"])

    def test_large(self):
        self.assertEqual(to_roman(1994), "MCMXCIV")
        self.assertEqual(to_roman(3999), "MMMCMXCIX")

    def test_invalid(self):
        with self.assertRaises(ValueError):
            to_roman(0)


if __name__ == "__main__":
    unittest.main()
