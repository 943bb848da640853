package anagram;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

public class Anagram {
    private final String key;

    public Anagram(String word) {
        this.key = sorted(word.toLowerCase());
    }

    // forgets that a word is not its own anagram
    public List<String> match(List<String> candidates) {
        return candidates.stream().filter(c -> sorted(c.toLowerCase()).equals(key)).collect(Collectors.toList());
    }

    private static String sorted(String s) {
        char[] chars = s.toCharArray();
        Arrays.sort(chars);
        return new String(chars);
    }
}
