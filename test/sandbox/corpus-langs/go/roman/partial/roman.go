package roman

import "strings"

// ToRoman knows no subtractive notation and accepts any number.
func ToRoman(n int) (string, error) {
	var b strings.Builder
	for _, s := range []struct {
		v int
		s string
	}{{1000, "M"}, {500, "D"}, {100, "C"}, {50, "L"}, {10, "X"}, {5, "V"}, {1, "I"}} {
		for n >= s.v {
			b.WriteString(s.s)
			n -= s.v
		}
	}
	return b.String(), nil
}
