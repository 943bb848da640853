package roman;

import static org.junit.Assert.assertEquals;

import org.junit.Ignore;
import org.junit.Test;

// A JUnit 4 suite (run by the Vintage engine).
public class RomanNumeralsTest {
    @Test
    public void one() {
        assertEquals("I", RomanNumerals.toRoman(1));
    }

    @Test
    public void four() {
        assertEquals("IV", RomanNumerals.toRoman(4));
    }

    @Test
    public void nineteenNinetyFour() {
        assertEquals("MCMXCIV", RomanNumerals.toRoman(1994));
    }

    @Test(expected = IllegalArgumentException.class)
    public void zeroIsRefused() {
        RomanNumerals.toRoman(0);
    }

    @Ignore("not yet")
    @Test
    public void fourThousand() {
        assertEquals("MMMM", RomanNumerals.toRoman(4000));
    }
}
