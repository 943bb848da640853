// Compiled and run once when the image is built, to record the class-data-sharing archives of
// javac and of the JUnit console launcher (see the Dockerfile); never part of a run.
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.*;
import static org.assertj.core.api.Assertions.assertThat;
import java.util.*;
import java.util.stream.*;

class WarmTest {
    @Test @DisplayName("passes")
    void passes() { assertEquals(2, 1 + 1); assertThat(List.of(1, 2)).containsExactly(1, 2); assertThrows(IllegalStateException.class, () -> { throw new IllegalStateException("x"); }); }
    @Test
    void fails() { assertEquals(3, Stream.of(1, 1).mapToInt(Integer::intValue).sum()); }
    @Test
    void failsAssertJ() { assertThat("abc").isEqualTo("abd"); }
    @ParameterizedTest @CsvSource({"1,2", "3,4"})
    void params(int a, int b) { assertTrue(a < b); }
}
