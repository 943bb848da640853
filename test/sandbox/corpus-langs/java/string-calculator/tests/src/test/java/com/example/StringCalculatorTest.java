package com.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StringCalculatorTest {
    private final StringCalculator calculator = new StringCalculator();

    @Test
    void emptyStringIsZero() {
        assertThat(calculator.add("")).isZero();
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "'1,2', 3", "'10,20,30', 60"})
    void sumsCommaSeparatedNumbers(String input, int expected) {
        assertThat(calculator.add(input)).isEqualTo(expected);
    }

    @Nested
    class Delimiters {
        @Test
        void newlinesSeparateToo() {
            assertThat(calculator.add("1\n2,3")).isEqualTo(6);
        }

        @Test
        void customDelimiterLine() {
            assertThat(calculator.add("//;\n1;2")).isEqualTo(3);
        }
    }

    @Test
    void negativesAreRefused() {
        assertThatThrownBy(() -> calculator.add("1,-2,-3"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("-2")
            .hasMessageContaining("-3");
    }

    @Test
    @Disabled("numbers above 1000 are a later step")
    void bigNumbersAreIgnored() {
        assertThat(calculator.add("2,1001")).isEqualTo(2);
    }
}
