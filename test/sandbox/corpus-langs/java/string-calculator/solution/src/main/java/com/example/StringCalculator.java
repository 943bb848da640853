package com.example;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

public class StringCalculator {
    public int add(String input) {
        if (input.isEmpty()) return 0;
        String delimiters = ",|\n";
        String numbers = input;
        if (input.startsWith("//")) {
            int end = input.indexOf('\n');
            delimiters = Pattern.quote(input.substring(2, end));
            numbers = input.substring(end + 1);
        }
        int sum = 0;
        List<String> negatives = new ArrayList<>();
        for (String part : numbers.split(delimiters)) {
            int n = Integer.parseInt(part.trim());
            if (n < 0) negatives.add(part.trim());
            sum += n;
        }
        if (!negatives.isEmpty()) throw new IllegalArgumentException("negatives not allowed: " + String.join(", ", negatives));
        return sum;
    }
}
