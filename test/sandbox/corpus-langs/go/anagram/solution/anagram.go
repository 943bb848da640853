// Package anagram finds anagrams of a word.
package anagram

import (
	"sort"
	"strings"
)

func key(s string) string {
	r := []rune(strings.ToLower(s))
	sort.Slice(r, func(i, j int) bool { return r[i] < r[j] })
	return string(r)
}

// Detect returns the candidates that are anagrams of subject, in their order.
func Detect(subject string, candidates []string) []string {
	out := []string{}
	k := key(subject)
	for _, c := range candidates {
		if !strings.EqualFold(c, subject) && key(c) == k {
			out = append(out, c)
		}
	}
	return out
}
