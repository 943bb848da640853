package fizz;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

public final class FizzBuzz {
    private FizzBuzz() {}

    public static String say(int n) {
        if (n % 15 == 0) return "FizzBuzz";
        if (n % 3 == 0) return "Fizz";
        if (n % 5 == 0) return "Buzz";
        return Integer.toString(n);
    }

    public static List<String> upTo(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(FizzBuzz::say).collect(Collectors.toList());
    }
}
