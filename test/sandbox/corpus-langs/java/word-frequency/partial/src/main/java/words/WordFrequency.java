package words;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

public final class WordFrequency {
    private WordFrequency() {}

    // case-sensitive, and ties keep the order of first appearance
    public static Map<String, Integer> of(String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String w : text.trim().split("\\s+")) {
            if (!w.isEmpty()) counts.merge(w, 1, Integer::sum);
        }
        return counts;
    }

    public static List<String> top(String text, int n) {
        return of(text).entrySet().stream()
            .sorted((a, b) -> b.getValue() - a.getValue())
            .limit(n)
            .map(Map.Entry::getKey)
            .collect(Collectors.toList());
    }
}
