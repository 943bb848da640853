#pragma once
#include <map>
#include <string>

namespace word_count {
std::map<std::string, int> count(const std::string& text);
}  // namespace word_count
