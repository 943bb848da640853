package anagram;

import java.util.List;

public class Anagram {
    public Anagram(String word) {}

    public List<String> match(List<String> candidates) {
        return null;
    }
}
