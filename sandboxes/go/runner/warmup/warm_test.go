package warmup

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// Compiled once at image build time so every run starts from a warm build cache.
func TestWarm(t *testing.T) {
	s := []string{strings.ToUpper("b"), fmt.Sprint(1), strconv.Itoa(2)}
	sort.Strings(s)
	if math.Abs(-1) != 1 || errors.New("x") == nil || !unicode.IsLetter('a') || !reflect.DeepEqual(s, s) {
		t.Fatal("warm-up")
	}
	t.Run("sub", func(t *testing.T) {})
}
