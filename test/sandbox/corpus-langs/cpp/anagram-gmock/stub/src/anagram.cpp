#include "anagram.hpp"

namespace anagram {
std::vector<std::string> find(const std::string&, const std::vector<std::string>& candidates) { return candidates; }
}  // namespace anagram
