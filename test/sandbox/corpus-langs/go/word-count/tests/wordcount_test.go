package wordcount

import (
	"reflect"
	"testing"
)

func TestWordCount(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  map[string]int
	}{
		{"one word", "word", map[string]int{"word": 1}},
		{"repeated words", "one fish two fish", map[string]int{"one": 1, "fish": 2, "two": 1}},
		{"ignores case", "Go go GO", map[string]int{"go": 3}},
		{"ignores punctuation", "car: carpet, as java: javascript!!", map[string]int{"car": 1, "carpet": 1, "as": 1, "java": 1, "javascript": 1}},
		{"keeps apostrophes", "don't stop", map[string]int{"don't": 1, "stop": 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := WordCount(tc.input); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("WordCount(%q) = %v, want %v", tc.input, got, tc.want)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	if got := WordCount(""); len(got) != 0 {
		t.Fatalf("WordCount(\"\") = %v, want an empty map", got)
	}
}
