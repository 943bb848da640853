package clock

import "fmt"

// Clock forgets to normalise negative minutes and compares by its fields.
type Clock struct{ h, m int }

func New(h, m int) Clock {
	h += m / 60
	m %= 60
	return Clock{h % 24, m}
}

func (c Clock) Add(m int) Clock { return New(c.h, c.m+m) }

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.h, c.m) }
