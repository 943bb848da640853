package stack

import "testing"

func TestStack(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		var s Stack[int]
		t.Run("len is zero", func(t *testing.T) {
			if s.Len() != 0 {
				t.Errorf("Len() = %d, want 0", s.Len())
			}
		})
		t.Run("pop reports nothing", func(t *testing.T) {
			if v, ok := s.Pop(); ok {
				t.Errorf("Pop() = %d, true; want false", v)
			}
		})
	})
	t.Run("push then pop", func(t *testing.T) {
		var s Stack[string]
		s.Push("a")
		s.Push("b")
		if v, ok := s.Pop(); !ok || v != "b" {
			t.Fatalf("Pop() = %q, %t; want \"b\", true", v, ok)
		}
		if s.Len() != 1 {
			t.Errorf("Len() = %d, want 1", s.Len())
		}
	})
}

func TestPeek(t *testing.T) {
	var s Stack[int]
	s.Push(7)
	if v, ok := s.Peek(); !ok || v != 7 {
		t.Fatalf("Peek() = %d, %t; want 7, true", v, ok)
	}
	if s.Len() != 1 {
		t.Errorf("Peek removed the item: Len() = %d", s.Len())
	}
}
