#include "account.hpp"

namespace bank {
// no overdraft check
long Account::balance() const { return balance_; }
void Account::deposit(long amount) { balance_ += amount; }
void Account::withdraw(long amount) { balance_ -= amount; }
}  // namespace bank
