class Anagram
  def initialize(word)
    @word = word.downcase
    @key = key(@word)
  end

  def match(candidates)
    candidates.select { |c| c.downcase != @word && key(c.downcase) == @key }
  end

  private

  def key(word)
    word.chars.sort.join
  end
end
