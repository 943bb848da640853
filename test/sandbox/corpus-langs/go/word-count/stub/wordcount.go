package wordcount

// WordCount counts each word of the phrase, case-insensitively.
func WordCount(phrase string) map[string]int {
	return map[string]int{"TODO": 0}
}
