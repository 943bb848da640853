require 'minitest/autorun'
require 'isbn'

class IsbnTest < Minitest::Test
  VALID = { 'digits' => '3598215088', 'dashes' => '3-598-21508-8', 'x_check_digit' => '3-598-21507-X' }.freeze
  INVALID = { 'wrong_check_digit' => '3-598-21508-9', 'too_short' => '3-598-2150', 'x_in_the_middle' => '3-598-2X507-9' }.freeze

  VALID.each do |name, isbn|
    define_method("test_valid_#{name}") { assert Isbn.valid?(isbn), "#{isbn} should be valid" }
  end

  INVALID.each do |name, isbn|
    define_method("test_invalid_#{name}") { refute Isbn.valid?(isbn), "#{isbn} should be invalid" }
  end
end
