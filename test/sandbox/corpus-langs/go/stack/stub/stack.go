package stack

// Stack is a LIFO stack; the zero value is empty and ready to use.
type Stack[T any] struct{}

func (s *Stack[T]) Push(v T) {}

func (s *Stack[T]) Pop() (v T, ok bool) { return v, true }

func (s *Stack[T]) Peek() (v T, ok bool) { return v, false }

func (s *Stack[T]) Len() int { return -1 }
