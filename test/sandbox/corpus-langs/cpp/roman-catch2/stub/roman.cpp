#include "roman.hpp"

std::string to_roman(int) { return ""; }
