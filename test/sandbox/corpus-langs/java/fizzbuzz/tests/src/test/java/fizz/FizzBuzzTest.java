package fizz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FizzBuzzTest {
    @ParameterizedTest
    @CsvSource({"1, 1", "2, 2", "4, 4"})
    void plainNumbers(int n, String expected) {
        assertThat(FizzBuzz.say(n)).isEqualTo(expected);
    }

    static Stream<Arguments> multiples() {
        return Stream.of(arguments(3, "Fizz"), arguments(5, "Buzz"), arguments(15, "FizzBuzz"), arguments(30, "FizzBuzz"));
    }

    @ParameterizedTest
    @MethodSource("multiples")
    void multiples(int n, String expected) {
        assertThat(FizzBuzz.say(n)).isEqualTo(expected);
    }

    @Test
    void sequence() {
        assertThat(FizzBuzz.upTo(5)).containsExactly("1", "2", "Fizz", "4", "Buzz");
    }

    @Test
    @Disabled("custom rules are a later step")
    void customRules() {}
}
