class WordCount
  def initialize(phrase)
    @phrase = phrase
  end

  def count
    @phrase.downcase.scan(/[a-z0-9]+(?:'[a-z]+)?/).tally
  end
end
