package leap;

public final class Leap {
    private Leap() {}

    public static boolean isLeap(int year) {
        if (year <= 0) throw new IllegalArgumentException("no year " + year + " in the Gregorian calendar");
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }
}
