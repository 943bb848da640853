#pragma once

namespace bank {
class Account {
 public:
  long balance() const;
  void deposit(long amount);
  void withdraw(long amount);

 private:
  long balance_ = 0;
};
}  // namespace bank
