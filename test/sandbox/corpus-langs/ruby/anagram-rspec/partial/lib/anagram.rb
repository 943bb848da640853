class Anagram
  # case-sensitive
  def initialize(word)
    @word = word
  end

  def match(candidates)
    candidates.select { |c| c != @word && c.chars.sort == @word.chars.sort }
  end
end
