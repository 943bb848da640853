#include "roman.hpp"

#include <stdexcept>

std::string to_roman(int n) {
  if (n <= 0 || n >= 4000) throw std::out_of_range("out of range");
  static const int values[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
  static const char* symbols[] = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"};
  std::string out;
  for (int i = 0; i < 13; ++i)
    while (n >= values[i]) {
      out += symbols[i];
      n -= values[i];
    }
  return out;
}
