#include "text_utils.hpp"

#include <algorithm>
#include <cctype>

namespace text {
std::string reverse(const std::string& s) { return std::string(s.rbegin(), s.rend()); }

std::vector<std::string> split(const std::string& s, char delimiter) {
  std::vector<std::string> out{""};
  for (char c : s) {
    if (c == delimiter) out.emplace_back();
    else out.back() += c;
  }
  return out;
}

bool is_palindrome(const std::string& s) {
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::equal(lower.begin(), lower.end(), lower.rbegin());
}
}  // namespace text
