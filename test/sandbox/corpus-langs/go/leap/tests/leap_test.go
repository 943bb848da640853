package leap

import "testing"

func TestIsLeap(t *testing.T) {
	cases := []struct {
		name string
		year int
		want bool
	}{
		{"divisible by 4", 1996, true},
		{"not divisible by 4", 1997, false},
		{"century", 1900, false},
		{"divisible by 400", 2000, true},
		{"year 2100", 2100, false},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			got, err := IsLeap(tc.year)
			if err != nil {
				t.Fatalf("IsLeap(%d): unexpected error %v", tc.year, err)
			}
			if got != tc.want {
				t.Errorf("IsLeap(%d) = %t, want %t", tc.year, got, tc.want)
			}
		})
	}
}

func TestYearZero(t *testing.T) {
	if _, err := IsLeap(0); err != ErrNoSuchYear {
		t.Errorf("IsLeap(0) error = %v, want ErrNoSuchYear", err)
	}
}
