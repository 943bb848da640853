package anagram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AnagramTest {
    private final Anagram detector = new Anagram("listen");

    @Test
    void findsAnagrams() {
        assertThat(detector.match(List.of("enlists", "google", "inlets", "banana"))).containsExactly("inlets");
    }

    @Test
    void isCaseInsensitive() {
        assertThat(detector.match(List.of("Silent", "LISTEN2"))).containsExactly("Silent");
    }

    @Test
    void aWordIsNotItsOwnAnagram() {
        assertThat(detector.match(List.of("Listen"))).isEmpty();
    }

    @Test
    void noMatches() {
        assertThat(detector.match(List.of("abc"))).isEmpty();
    }

    @Nested
    class MultipleMatches {
        @Test
        void keepsTheCandidatesOrder() {
            assertThat(new Anagram("master").match(List.of("stream", "pigeon", "maters"))).containsExactly("stream", "maters");
        }
    }

    @Test
    @Disabled("letters outside ASCII are a later step")
    void unicodeLetters() {
        assertThat(new Anagram("ΑΒΓ").match(List.of("γβα"))).containsExactly("γβα");
    }
}
