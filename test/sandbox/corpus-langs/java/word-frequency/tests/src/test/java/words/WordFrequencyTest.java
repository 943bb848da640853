package words;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WordFrequencyTest {
    @Test
    void countsWords() {
        assertThat(WordFrequency.of("the cat and the hat")).containsEntry("the", 2).containsEntry("cat", 1).hasSize(4);
    }

    @Test
    void ignoresCase() {
        assertThat(WordFrequency.of("Go go")).containsOnly(entry("go", 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\n"})
    void blankTextHasNoWords(String text) {
        assertThat(WordFrequency.of(text)).isEmpty();
    }

    @Nested
    class Top {
        @Test
        void mostFrequentFirst() {
            assertThat(WordFrequency.top("b a b c b a", 2)).containsExactly("b", "a");
        }

        @Test
        void tiesInAlphabeticalOrder() {
            assertThat(WordFrequency.top("z y x", 2)).containsExactly("x", "y");
        }
    }
}
