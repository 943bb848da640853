#pragma once
#include <string>
#include <vector>

namespace text {
std::string reverse(const std::string& s);
std::vector<std::string> split(const std::string& s, char delimiter);
bool is_palindrome(const std::string& s);
}  // namespace text
