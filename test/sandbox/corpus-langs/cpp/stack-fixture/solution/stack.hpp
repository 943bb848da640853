#pragma once
#include <cstddef>
#include <stdexcept>
#include <utility>
#include <vector>

template <typename T>
class Stack {
 public:
  void push(T value) { items_.push_back(std::move(value)); }
  T pop() {
    if (items_.empty()) throw std::out_of_range("pop on an empty stack");
    T v = std::move(items_.back());
    items_.pop_back();
    return v;
  }
  const T& top() const {
    if (items_.empty()) throw std::out_of_range("top of an empty stack");
    return items_.back();
  }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<T> items_;
};
