package roman

import "fmt"

var symbols = []struct {
	value  int
	symbol string
}{
	{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"},
	{50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"},
}

// ToRoman writes n (1..3999) in Roman numerals.
func ToRoman(n int) (string, error) {
	if n < 1 || n > 3999 {
		return "", fmt.Errorf("%d is out of range", n)
	}
	out := ""
	for _, s := range symbols {
		for n >= s.value {
			out += s.symbol
			n -= s.value
		}
	}
	return out, nil
}
