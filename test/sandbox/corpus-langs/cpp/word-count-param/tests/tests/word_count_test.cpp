#include <gtest/gtest.h>

#include <map>
#include <string>

#include "word_count.hpp"

struct Case {
  std::string input;
  std::map<std::string, int> expected;
};

class WordCountTest : public ::testing::TestWithParam<Case> {};

TEST_P(WordCountTest, Counts) { EXPECT_EQ(word_count::count(GetParam().input), GetParam().expected) << GetParam().input; }

INSTANTIATE_TEST_SUITE_P(Phrases, WordCountTest,
                         ::testing::Values(Case{"word", {{"word", 1}}},
                                           Case{"one fish two fish", {{"one", 1}, {"fish", 2}, {"two", 1}}},
                                           Case{"Go go GO", {{"go", 3}}},
                                           Case{"car: carpet, java!!", {{"car", 1}, {"carpet", 1}, {"java", 1}}}));

TEST(WordCount, EmptyHasNoWords) { EXPECT_TRUE(word_count::count("").empty()); }
