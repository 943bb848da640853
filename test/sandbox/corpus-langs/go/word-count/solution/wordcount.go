package wordcount

import (
	"strings"
	"unicode"
)

// WordCount counts each word of the phrase, case-insensitively.
func WordCount(phrase string) map[string]int {
	counts := map[string]int{}
	words := strings.FieldsFunc(strings.ToLower(phrase), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
	for _, w := range words {
		w = strings.Trim(w, "'")
		if w != "" {
			counts[w]++
		}
	}
	return counts
}
