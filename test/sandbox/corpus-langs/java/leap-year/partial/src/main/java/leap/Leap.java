package leap;

public final class Leap {
    private Leap() {}

    // forgets the century rule and the validation
    public static boolean isLeap(int year) {
        return year % 4 == 0;
    }
}
