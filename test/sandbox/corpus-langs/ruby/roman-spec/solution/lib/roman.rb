module Roman
  TABLE = { 1000 => 'M', 900 => 'CM', 500 => 'D', 400 => 'CD', 100 => 'C', 90 => 'XC',
            50 => 'L', 40 => 'XL', 10 => 'X', 9 => 'IX', 5 => 'V', 4 => 'IV', 1 => 'I' }.freeze

  def self.to_roman(n)
    raise ArgumentError, "out of range: #{n}" unless (1..3999).cover?(n)

    TABLE.reduce(+'') do |out, (value, symbol)|
      count, n = n.divmod(value)
      out << symbol * count
    end
  end
end
