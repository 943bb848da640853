// Package isbn validates ISBN-10 numbers.
package isbn

import (
	"errors"
	"fmt"
)

var (
	ErrLength    = errors.New("an ISBN-10 has ten digits")
	ErrCharacter = errors.New("unexpected character")
	ErrChecksum  = errors.New("wrong check digit")
)

// Validate returns nil for a valid ISBN-10 (dashes allowed, X as the check digit).
func Validate(s string) error {
	var digits []int
	for i, r := range s {
		switch {
		case r == '-':
		case r >= '0' && r <= '9':
			digits = append(digits, int(r-'0'))
		case r == 'X' && i == len(s)-1:
			digits = append(digits, 10)
		default:
			return fmt.Errorf("%q at %d: %w", r, i, ErrCharacter)
		}
	}
	if len(digits) != 10 {
		return fmt.Errorf("%d digits: %w", len(digits), ErrLength)
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
