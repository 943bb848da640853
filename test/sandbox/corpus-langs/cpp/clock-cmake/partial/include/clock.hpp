#pragma once
#include <ostream>
#include <string>

namespace date_independent {
class clock {
 public:
  static clock at(int hours, int minutes = 0);
  clock plus(int minutes) const;
  std::string str() const;
  bool operator==(const clock& other) const { return minutes_ == other.minutes_; }

 private:
  explicit clock(int minutes) : minutes_(minutes) {}
  int minutes_;
};
std::ostream& operator<<(std::ostream& out, const clock& c);
}  // namespace date_independent
