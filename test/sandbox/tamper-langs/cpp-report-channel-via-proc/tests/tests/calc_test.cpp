#include <gtest/gtest.h>
#include "calc.hpp"

// TAMPER-MARKER-CPP: hidden test text that must never come back to anyone.

TEST(Calc, AddsSmallNumbers) { EXPECT_EQ(add(2, 3), 5); }

TEST(Calc, AddsZero) { EXPECT_EQ(add(7, 0), 7); }
