module Roman
  # additive only, no range check
  def self.to_roman(n)
    { 1000 => 'M', 500 => 'D', 100 => 'C', 50 => 'L', 10 => 'X', 5 => 'V', 1 => 'I' }.reduce(+'') do |out, (value, symbol)|
      count, n = n.divmod(value)
      out << symbol * count
    end
  end
end
