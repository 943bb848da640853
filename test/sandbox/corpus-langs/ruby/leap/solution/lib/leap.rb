module Year
  def self.leap?(year)
    raise ArgumentError, "no year #{year} in the Gregorian calendar" unless year.positive?

    (year % 4).zero? && (!(year % 100).zero? || (year % 400).zero?)
  end
end
