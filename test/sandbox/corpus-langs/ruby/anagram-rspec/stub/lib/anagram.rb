class Anagram
  def initialize(word); end

  def match(candidates)
    candidates
  end
end
