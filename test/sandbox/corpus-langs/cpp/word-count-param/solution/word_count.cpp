#include "word_count.hpp"

#include <cctype>

namespace word_count {
std::map<std::string, int> count(const std::string& text) {
  std::map<std::string, int> counts;
  std::string word;
  for (char ch : text + " ") {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '\'') {
      word += static_cast<char>(std::tolower(c));
    } else if (!word.empty()) {
      ++counts[word];
      word.clear();
    }
  }
  return counts;
}
}  // namespace word_count
