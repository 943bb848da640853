package stack

// Stack pops from the bottom (a queue by mistake) and its Peek removes.
type Stack[T any] struct{ items []T }

func (s *Stack[T]) Push(v T) { s.items = append(s.items, v) }

func (s *Stack[T]) Pop() (v T, ok bool) {
	if len(s.items) == 0 {
		return v, false
	}
	v = s.items[0]
	s.items = s.items[1:]
	return v, true
}

func (s *Stack[T]) Peek() (v T, ok bool) { return s.Pop() }

func (s *Stack[T]) Len() int { return len(s.items) }
