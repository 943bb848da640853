#include "leap.hpp"

namespace leap {
// forgets the century rule and the validation
bool is_leap_year(int year) { return year % 4 == 0; }
}  // namespace leap
