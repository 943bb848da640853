#include "clock.hpp"

namespace date_independent {
clock clock::at(int, int) { return clock(-1); }
clock clock::plus(int) const { return clock(-2); }
std::string clock::str() const { return ""; }
std::ostream& operator<<(std::ostream& out, const clock&) { return out; }
}  // namespace date_independent
