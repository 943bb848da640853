package roman

import (
	"fmt"
	"testing"
)

func TestToRoman(t *testing.T) {
	for _, tc := range []struct {
		in   int
		want string
	}{
		{1, "I"}, {4, "IV"}, {9, "IX"}, {58, "LVIII"}, {1994, "MCMXCIV"},
	} {
		t.Run(fmt.Sprint(tc.in), func(t *testing.T) {
			got, err := ToRoman(tc.in)
			if err != nil {
				t.Fatalf("ToRoman(%d) returned an error: %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("ToRoman(%d) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestOutOfRange(t *testing.T) {
	for _, n := range []int{0, -1, 4000} {
		if _, err := ToRoman(n); err == nil {
			t.Errorf("ToRoman(%d) returned no error", n)
		}
	}
}
