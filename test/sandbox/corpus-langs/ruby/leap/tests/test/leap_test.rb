require 'minitest/autorun'
require_relative '../lib/leap'

class LeapTest < Minitest::Test
  def test_year_divisible_by_4
    assert Year.leap?(1996)
  end

  def test_year_not_divisible_by_4
    refute Year.leap?(1997)
  end

  def test_century
    refute Year.leap?(1900), '1900 is not a leap year'
  end

  def test_divisible_by_400
    assert Year.leap?(2000)
  end

  def test_year_zero_is_refused
    error = assert_raises(ArgumentError) { Year.leap?(0) }
    assert_match(/0/, error.message)
  end
end
