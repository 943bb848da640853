class BankAccount
  class InsufficientFunds < StandardError; end

  attr_reader :balance

  # no checks, and no history kept
  def initialize
    @balance = 0
  end

  def deposit(amount)
    @balance += amount
  end

  def withdraw(amount)
    @balance -= amount
  end

  def history
    []
  end
end
