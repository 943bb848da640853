package com.example;

public class StringCalculator {
    // Commas only: no newlines, no custom delimiter, negatives summed.
    public int add(String input) {
        if (input.isEmpty()) return 0;
        int sum = 0;
        for (String part : input.split(",")) sum += Integer.parseInt(part.trim());
        return sum;
    }
}
