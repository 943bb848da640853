#include "text_utils.hpp"

#include <sstream>

namespace text {
std::string reverse(const std::string& s) { return std::string(s.rbegin(), s.rend()); }

// drops empty fields; case-sensitive palindromes
std::vector<std::string> split(const std::string& s, char delimiter) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, delimiter))
    if (!item.empty()) out.push_back(item);
  return out;
}

bool is_palindrome(const std::string& s) { return s == std::string(s.rbegin(), s.rend()); }
}  // namespace text
