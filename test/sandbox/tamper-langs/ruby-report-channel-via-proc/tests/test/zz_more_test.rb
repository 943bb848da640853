require_relative '../lib/calc'

# TAMPER-MARKER-RUBY: the second hidden file.
class CalcMoreTest < Minitest::Test
  def test_adds_negatives
    assert_equal(-5, Calc.add(-2, -3))
  end
end
