#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text_utils.hpp"

TEST(Reverse, ReversesAWord) { EXPECT_EQ(text::reverse("stressed"), "desserts"); }

TEST(Reverse, EmptyStaysEmpty) { EXPECT_EQ(text::reverse(""), ""); }

TEST(Split, SplitsOnTheDelimiter) {
  EXPECT_EQ(text::split("a,b,c", ','), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Split, KeepsEmptyFields) {
  EXPECT_EQ(text::split("a,,b,", ','), (std::vector<std::string>{"a", "", "b", ""}));
}

class PalindromeTest : public ::testing::TestWithParam<std::pair<const char*, bool>> {};

TEST_P(PalindromeTest, Detects) {
  auto [input, expected] = GetParam();
  EXPECT_EQ(text::is_palindrome(input), expected) << "input: " << input;
}

INSTANTIATE_TEST_SUITE_P(Words, PalindromeTest,
                         ::testing::Values(std::make_pair("racecar", true), std::make_pair("Racecar", true),
                                           std::make_pair("hello", false)));

TEST(Reverse, DISABLED_HandlesUtf8) { EXPECT_EQ(text::reverse("añb"), "bña"); }
