package words;

import java.util.List;
import java.util.Map;

public final class WordFrequency {
    private WordFrequency() {}

    public static Map<String, Integer> of(String text) {
        throw new UnsupportedOperationException("TODO");
    }

    public static List<String> top(String text, int n) {
        throw new UnsupportedOperationException("TODO");
    }
}
