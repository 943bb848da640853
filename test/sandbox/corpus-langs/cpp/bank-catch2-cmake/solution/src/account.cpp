#include "account.hpp"

#include <stdexcept>

namespace bank {
long Account::balance() const { return balance_; }
void Account::deposit(long amount) { balance_ += amount; }
void Account::withdraw(long amount) {
  if (amount > balance_) throw std::runtime_error("insufficient funds");
  balance_ -= amount;
}
}  // namespace bank
