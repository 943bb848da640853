package roman

// ToRoman writes n (1..3999) in Roman numerals.
func ToRoman(n int) (string, error) {
	return "", nil
}
