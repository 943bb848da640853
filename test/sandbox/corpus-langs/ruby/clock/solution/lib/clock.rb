class Clock
  DAY = 24 * 60
  attr_reader :minutes

  def initialize(hour: 0, minute: 0)
    @minutes = (hour * 60 + minute) % DAY
  end

  def +(other)
    Clock.new(minute: minutes + other)
  end

  def ==(other)
    other.is_a?(Clock) && minutes == other.minutes
  end

  def to_s
    format('%02d:%02d', *minutes.divmod(60))
  end
end
