package anagram

import (
	"reflect"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := map[string]struct {
		subject    string
		candidates []string
		want       []string
	}{
		"no matches":            {"diaper", []string{"hello", "world"}, []string{}},
		"one match":             {"listen", []string{"enlists", "google", "inlets"}, []string{"inlets"}},
		"case insensitive":      {"Orchestra", []string{"cashregister", "Carthorse", "radishes"}, []string{"Carthorse"}},
		"not its own anagram":   {"BANANA", []string{"banana"}, []string{}},
		"keeps candidate order": {"master", []string{"stream", "pigeon", "maters"}, []string{"stream", "maters"}},
	}
	for name, tc := range tests {
		tc := tc
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := Detect(tc.subject, tc.candidates)
			if len(got) != len(tc.want) || (len(got) > 0 && !reflect.DeepEqual(got, tc.want)) {
				t.Errorf("Detect(%q, %q) = %q, want %q", tc.subject, tc.candidates, got, tc.want)
			}
		})
	}
}
