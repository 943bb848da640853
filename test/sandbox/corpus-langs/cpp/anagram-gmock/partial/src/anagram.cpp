#include "anagram.hpp"

#include <algorithm>

namespace anagram {
// case-sensitive
std::vector<std::string> find(const std::string& word, const std::vector<std::string>& candidates) {
  auto key = [](std::string s) {
    std::sort(s.begin(), s.end());
    return s;
  };
  std::vector<std::string> out;
  for (const auto& c : candidates)
    if (c != word && key(c) == key(word)) out.push_back(c);
  return out;
}
}  // namespace anagram
