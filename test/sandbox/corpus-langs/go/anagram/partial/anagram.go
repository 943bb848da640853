package anagram

import "sort"

// Detect is case-sensitive.
func Detect(subject string, candidates []string) []string {
	key := func(s string) string {
		r := []rune(s)
		sort.Slice(r, func(i, j int) bool { return r[i] < r[j] })
		return string(r)
	}
	var out []string
	for _, c := range candidates {
		if c != subject && key(c) == key(subject) {
			out = append(out, c)
		}
	}
	return out
}
