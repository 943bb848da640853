class Clock
  attr_reader :hour, :minute

  # no wrap-around past midnight, and compares by identity
  def initialize(hour: 0, minute: 0)
    @hour = hour + minute / 60
    @minute = minute % 60
  end

  def +(other)
    Clock.new(hour: hour, minute: minute + other)
  end

  def to_s
    format('%02d:%02d', hour, minute)
  end
end
