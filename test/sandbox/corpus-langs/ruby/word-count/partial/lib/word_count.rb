class WordCount
  def initialize(phrase)
    @phrase = phrase
  end

  # splits on spaces only, keeps case
  def count
    @phrase.split(' ').tally
  end
end
