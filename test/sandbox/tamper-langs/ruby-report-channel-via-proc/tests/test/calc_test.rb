require_relative '../lib/calc'

# TAMPER-MARKER-RUBY: hidden test text that must never come back to anyone.
class CalcTest < Minitest::Test
  def test_adds_small_numbers
    assert_equal 5, Calc.add(2, 3)
  end

  def test_adds_zero
    assert_equal 7, Calc.add(7, 0)
  end
end
