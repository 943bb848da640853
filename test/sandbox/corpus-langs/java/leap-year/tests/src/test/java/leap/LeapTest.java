package leap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeapTest {
    @ParameterizedTest(name = "{0} is a leap year")
    @ValueSource(ints = {1996, 2000, 2024})
    void leapYears(int year) {
        assertThat(Leap.isLeap(year)).isTrue();
    }

    @ParameterizedTest(name = "{0} is a common year")
    @ValueSource(ints = {1997, 1900, 2100})
    void commonYears(int year) {
        assertThat(Leap.isLeap(year)).isFalse();
    }

    @Nested
    class Validation {
        @Test
        void yearZeroIsRefused() {
            assertThatIllegalArgumentException().isThrownBy(() -> Leap.isLeap(0)).withMessageContaining("0");
        }
    }
}
