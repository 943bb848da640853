package isbn

import "errors"

var (
	ErrLength    = errors.New("an ISBN-10 has ten digits")
	ErrCharacter = errors.New("unexpected character")
	ErrChecksum  = errors.New("wrong check digit")
)

// Validate knows no X check digit and returns its errors unwrapped, but checks no characters.
func Validate(s string) error {
	var digits []int
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits = append(digits, int(r-'0'))
		}
	}
	if len(digits) != 10 {
		return ErrLength
	}
	sum := 0
	for i, d := range digits {
		sum += d * (10 - i)
	}
	if sum%11 != 0 {
		return ErrChecksum
	}
	return nil
}
