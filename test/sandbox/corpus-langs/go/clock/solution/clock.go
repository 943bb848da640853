// Package clock is a time of day without a date.
package clock

import "fmt"

const day = 24 * 60

// Clock is minutes since midnight, always in [0, 1440).
type Clock int

// New makes a clock, normalising hours and minutes.
func New(h, m int) Clock { return Clock(((h*60+m)%day + day) % day) }

// Add adds minutes.
func (c Clock) Add(m int) Clock { return New(0, int(c)+m) }

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }
