#include "text_utils.hpp"

namespace text {
std::string reverse(const std::string&) { return "TODO"; }
std::vector<std::string> split(const std::string&, char) { return {}; }
// wrong on purpose for every case in the tests
bool is_palindrome(const std::string& s) { return s.size() == 5; }
}  // namespace text
