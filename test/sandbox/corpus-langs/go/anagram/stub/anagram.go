package anagram

// Detect returns the candidates that are anagrams of subject, in their order.
func Detect(subject string, candidates []string) []string {
	return candidates
}
