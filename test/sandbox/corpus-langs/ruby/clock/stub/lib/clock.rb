class Clock
  def initialize(hour: 0, minute: 0); end

  def +(_other)
    raise NotImplementedError
  end

  def ==(_other)
    false
  end

  def to_s
    ''
  end
end
