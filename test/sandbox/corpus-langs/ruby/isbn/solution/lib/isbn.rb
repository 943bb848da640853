module Isbn
  def self.valid?(text)
    chars = text.delete('-')
    return false unless chars.match?(/\A\d{9}[\dX]\z/)

    digits = chars.chars.map { |c| c == 'X' ? 10 : c.to_i }
    (digits.each_with_index.sum { |d, i| d * (10 - i) } % 11).zero?
  end
end
