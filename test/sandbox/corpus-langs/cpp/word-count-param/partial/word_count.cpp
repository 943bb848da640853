#include "word_count.hpp"

#include <sstream>

namespace word_count {
// splits on whitespace only and keeps the case
std::map<std::string, int> count(const std::string& text) {
  std::map<std::string, int> counts;
  std::istringstream in(text);
  for (std::string w; in >> w;) ++counts[w];
  return counts;
}
}  // namespace word_count
