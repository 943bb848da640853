// Package leap tells leap years.
package leap

import "errors"

// ErrNoSuchYear: the Gregorian calendar has no year 0 or before.
var ErrNoSuchYear = errors.New("no such year")

// IsLeap reports whether year is a leap year in the Gregorian calendar.
func IsLeap(year int) (bool, error) {
	if year <= 0 {
		return false, ErrNoSuchYear
	}
	return year%4 == 0 && (year%100 != 0 || year%400 == 0), nil
}
