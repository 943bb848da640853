#include "word_count.hpp"

namespace word_count {
std::map<std::string, int> count(const std::string&) { return {{"TODO", 0}}; }
}  // namespace word_count
