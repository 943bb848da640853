class WordCount
  def initialize(phrase); end

  def count
    raise NotImplementedError, 'TODO'
  end
end
