package roman;

public final class RomanNumerals {
    public static String toRoman(int n) {
        return "";
    }
}
