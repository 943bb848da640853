#include "roman.hpp"

// additive only, no range check
std::string to_roman(int n) {
  static const int values[] = {1000, 500, 100, 50, 10, 5, 1};
  static const char* symbols[] = {"M", "D", "C", "L", "X", "V", "I"};
  std::string out;
  for (int i = 0; i < 7; ++i)
    while (n >= values[i]) {
      out += symbols[i];
      n -= values[i];
    }
  return out;
}
