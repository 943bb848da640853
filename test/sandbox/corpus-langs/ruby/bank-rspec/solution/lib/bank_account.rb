class BankAccount
  class InsufficientFunds < StandardError; end

  attr_reader :balance, :history

  def initialize
    @balance = 0
    @history = []
  end

  def deposit(amount)
    raise ArgumentError, 'amount must be positive' unless amount.positive?

    @balance += amount
    @history << [:deposit, amount]
  end

  def withdraw(amount)
    raise InsufficientFunds, "balance #{balance} < #{amount}" if amount > balance

    @balance -= amount
    @history << [:withdraw, amount]
  end
end
