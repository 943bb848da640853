package words;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

public final class WordFrequency {
    private WordFrequency() {}

    public static Map<String, Integer> of(String text) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String w : text.toLowerCase().trim().split("\\s+")) {
            if (!w.isEmpty()) counts.merge(w, 1, Integer::sum);
        }
        return counts;
    }

    public static List<String> top(String text, int n) {
        return of(text).entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
            .limit(n)
            .map(Map.Entry::getKey)
            .collect(Collectors.toList());
    }
}
