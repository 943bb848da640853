from fizzbuzz import fizzbuzz


def test_plain_numbers():
    assert [fizzbuzz(n) for n in (1, 2, 4, 7)] == ["1", "2", "4", "7"]


def test_fizz():
    assert fizzbuzz(3) == "Fizz" and fizzbuzz(9) == "Fizz"


def test_buzz():
    assert fizzbuzz(5) == "Buzz" and fizzbuzz(20) == "Buzz"


def test_fizzbuzz():
    assert fizzbuzz(15) == "FizzBuzz" and fizzbuzz(45) == "FizzBuzz"


def test_sequence():
    assert [fizzbuzz(n) for n in range(1, 16)][-3:] == ["13", "14", "FizzBuzz"]
