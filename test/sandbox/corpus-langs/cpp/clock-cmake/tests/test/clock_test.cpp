#include "clock.hpp"

#include <gtest/gtest.h>

#include <sstream>

TEST(Clock, PrintsHoursAndMinutes) { EXPECT_EQ(date_independent::clock::at(8, 5).str(), "08:05"); }

TEST(Clock, MidnightIsZero) { EXPECT_EQ(date_independent::clock::at(24, 0).str(), "00:00"); }

TEST(Clock, NegativeMinutesRollBack) { EXPECT_EQ(date_independent::clock::at(0, -40).str(), "23:20"); }

TEST(Clock, AddsAcrossMidnight) { EXPECT_EQ(date_independent::clock::at(23, 59).plus(2), date_independent::clock::at(0, 1)); }

TEST(Clock, StreamsLikeStr) {
  std::ostringstream out;
  out << date_independent::clock::at(10, 37);
  EXPECT_EQ(out.str(), "10:37");
}
