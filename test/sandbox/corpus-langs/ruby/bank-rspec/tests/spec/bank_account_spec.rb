require 'bank_account'

RSpec.describe BankAccount do
  subject(:account) { described_class.new }

  describe '#deposit' do
    it 'adds to the balance' do
      expect { account.deposit(100) }.to change(account, :balance).by(100)
    end

    it 'refuses a non-positive amount' do
      expect { account.deposit(0) }.to raise_error(ArgumentError, /positive/)
    end
  end

  describe '#withdraw' do
    before { account.deposit(50) }

    it 'takes from the balance' do
      account.withdraw(20)
      expect(account.balance).to eq(30)
    end

    it 'refuses an overdraft and keeps the balance' do
      expect { account.withdraw(80) }.to raise_error(BankAccount::InsufficientFunds)
      expect(account.balance).to eq(50)
    end
  end

  describe '#history' do
    it 'lists the movements in order' do
      account.deposit(10)
      account.deposit(5)
      expect(account.history).to eq([[:deposit, 10], [:deposit, 5]])
    end
  end
end
