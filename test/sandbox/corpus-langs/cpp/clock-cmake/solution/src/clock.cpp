#include "clock.hpp"

#include <cstdio>

namespace date_independent {
clock clock::at(int hours, int minutes) { return clock((((hours * 60 + minutes) % 1440) + 1440) % 1440); }
clock clock::plus(int minutes) const { return at(0, minutes_ + minutes); }
std::string clock::str() const {
  char buf[6];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes_ / 60, minutes_ % 60);
  return buf;
}
std::ostream& operator<<(std::ostream& out, const clock& c) { return out << c.str(); }
}  // namespace date_independent
