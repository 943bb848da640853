#include <gtest/gtest.h>

#include <stdexcept>

#include "leap.hpp"

TEST(Leap, DivisibleBy4) { EXPECT_TRUE(leap::is_leap_year(1996)); }

TEST(Leap, NotDivisibleBy4) { EXPECT_FALSE(leap::is_leap_year(1997)); }

TEST(Leap, Century) { EXPECT_FALSE(leap::is_leap_year(1900)) << "1900 is not a leap year"; }

TEST(Leap, DivisibleBy400) { EXPECT_TRUE(leap::is_leap_year(2000)); }

TEST(Leap, YearZeroThrows) { EXPECT_THROW(leap::is_leap_year(0), std::invalid_argument); }
