package leap

import "errors"

// ErrNoSuchYear: the Gregorian calendar has no year 0 or before.
var ErrNoSuchYear = errors.New("no such year")

// IsLeap forgets the century rule.
func IsLeap(year int) (bool, error) {
	if year <= 0 {
		return false, ErrNoSuchYear
	}
	return year%4 == 0, nil
}
