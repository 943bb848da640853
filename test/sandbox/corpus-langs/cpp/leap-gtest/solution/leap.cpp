#include "leap.hpp"

#include <stdexcept>

namespace leap {
bool is_leap_year(int year) {
  if (year <= 0) throw std::invalid_argument("no year 0 or before");
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}
}  // namespace leap
