package wordcount

import "strings"

// WordCount counts each word of the phrase (forgets case and punctuation).
func WordCount(phrase string) map[string]int {
	counts := map[string]int{}
	for _, w := range strings.Fields(phrase) {
		counts[w]++
	}
	return counts
}
