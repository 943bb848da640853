class WordCount
  def initialize(phrase)
    @phrase = phrase
  end

  def count
    @phrase.split(' ').tally
  end
