module Isbn
  # knows no X and counts only the digits it finds
  def self.valid?(text)
    digits = text.scan(/\d/).map(&:to_i)
    digits.size == 10 && (digits.each_with_index.sum { |d, i| d * (10 - i) } % 11).zero?
  end
end
