package isbn_test

import (
	"errors"
	"fmt"
	"testing"

	"example.com/isbn"
)

func TestValid(t *testing.T) {
	for _, tc := range []struct {
		name, in string
	}{
		{"digits only", "3598215088"},
		{"with dashes", "3-598-21508-8"},
		{"X as check digit", "3-598-21507-X"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := isbn.Validate(tc.in); err != nil {
				t.Errorf("Validate(%q) = %v, want nil", tc.in, err)
			}
		})
	}
}

func TestInvalid(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     error
	}{
		{"wrong check digit", "3-598-21508-9", isbn.ErrChecksum},
		{"too short", "3-598-2150", isbn.ErrLength},
		{"X in the middle", "3-598-2X507-9", isbn.ErrCharacter},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := isbn.Validate(tc.in); !errors.Is(err, tc.want) {
				t.Errorf("Validate(%q) = %v, want %v", tc.in, err, tc.want)
			}
		})
	}
}

func ExampleValidate() {
	fmt.Println(isbn.Validate("3-598-21508-8"))
	// Output: <nil>
}
