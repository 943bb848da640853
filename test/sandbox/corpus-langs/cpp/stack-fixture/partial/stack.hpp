#pragma once
#include <cstddef>
#include <deque>
#include <stdexcept>

// pops from the front (a queue by mistake); an empty pop returns a default value
template <typename T>
class Stack {
 public:
  void push(T value) { items_.push_back(value); }
  T pop() {
    if (items_.empty()) return T{};
    T v = items_.front();
    items_.pop_front();
    return v;
  }
  const T& top() const { return items_.back(); }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  std::deque<T> items_;
};
