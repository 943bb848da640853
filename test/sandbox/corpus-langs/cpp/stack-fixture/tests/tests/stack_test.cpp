#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "stack.hpp"

class StackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.push("a");
    stack_.push("b");
  }
  Stack<std::string> stack_;
};

TEST_F(StackTest, SizeCountsItems) { EXPECT_EQ(stack_.size(), 2u); }

TEST_F(StackTest, PopReturnsTheLastItem) {
  EXPECT_EQ(stack_.pop(), "b");
  EXPECT_EQ(stack_.pop(), "a");
  EXPECT_TRUE(stack_.empty());
}

TEST_F(StackTest, TopDoesNotRemove) {
  ASSERT_EQ(stack_.top(), "b");
  EXPECT_EQ(stack_.size(), 2u);
}

TEST(EmptyStack, PopThrows) {
  Stack<int> s;
  EXPECT_THROW(s.pop(), std::out_of_range);
}
