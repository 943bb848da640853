#pragma once
#include <string>

std::string to_roman(int n);
