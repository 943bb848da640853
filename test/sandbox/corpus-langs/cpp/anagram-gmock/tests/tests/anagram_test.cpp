#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anagram.hpp"

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

TEST(Anagram, FindsOne) { EXPECT_THAT(anagram::find("listen", {"enlists", "google", "inlets"}), ElementsAre("inlets")); }

TEST(Anagram, FindsSeveral) {
  EXPECT_THAT(anagram::find("master", {"stream", "pigeon", "maters"}), UnorderedElementsAre("maters", "stream"));
}

TEST(Anagram, IgnoresCase) { EXPECT_THAT(anagram::find("Orchestra", {"cashregister", "Carthorse"}), ElementsAre("Carthorse")); }

TEST(Anagram, NotItsOwnAnagram) { EXPECT_THAT(anagram::find("BANANA", {"Banana"}), IsEmpty()); }
