package clock

// Clock is a time of day.
type Clock struct{ h, m int }

func New(h, m int) Clock { return Clock{h, m} }

func (c Clock) Add(m int) Clock { return c }

func (c Clock) String() string { return "" }
