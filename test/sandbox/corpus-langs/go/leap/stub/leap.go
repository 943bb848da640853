package leap

import "errors"

// ErrNoSuchYear: the Gregorian calendar has no year 0 or before.
var ErrNoSuchYear = errors.New("no such year")

// IsLeap reports whether year is a leap year in the Gregorian calendar.
func IsLeap(year int) (bool, error) {
	return false, errors.New("not implemented")
}
