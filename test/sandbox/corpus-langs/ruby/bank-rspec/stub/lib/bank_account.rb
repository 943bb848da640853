class BankAccount
  class InsufficientFunds < StandardError; end

  def balance
    raise NotImplementedError
  end

  def deposit(_amount)
    raise NotImplementedError
  end

  def withdraw(_amount)
    raise NotImplementedError
  end

  def history
    raise NotImplementedError
  end
end
