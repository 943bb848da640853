#include "anagram.hpp"

#include <algorithm>
#include <cctype>

namespace anagram {
namespace {
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}
std::string key(const std::string& s) {
  std::string k = lower(s);
  std::sort(k.begin(), k.end());
  return k;
}
}  // namespace

std::vector<std::string> find(const std::string& word, const std::vector<std::string>& candidates) {
  std::vector<std::string> out;
  for (const auto& c : candidates)
    if (lower(c) != lower(word) && key(c) == key(word)) out.push_back(c);
  return out;
}
}  // namespace anagram
