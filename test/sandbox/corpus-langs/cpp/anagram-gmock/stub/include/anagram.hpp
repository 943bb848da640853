#pragma once
#include <string>
#include <vector>

namespace anagram {
std::vector<std::string> find(const std::string& word, const std::vector<std::string>& candidates);
}  // namespace anagram
