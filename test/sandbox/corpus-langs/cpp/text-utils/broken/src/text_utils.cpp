#include "text_utils.hpp"

namespace text {
std::string reverse(const std::string& s) { return std::string(s.rbegin(), s.rend()) }
std::vector<std::string> split(const std::string&, char) { return {}; }
bool is_palindrome(const std::string&) { return false; }
}  // namespace text
