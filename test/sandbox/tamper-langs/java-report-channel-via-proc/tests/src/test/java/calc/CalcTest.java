package calc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

// TAMPER-MARKER-JAVA: hidden test text that must never come back to anyone.
class CalcTest {
    @Test
    void addsSmallNumbers() {
        assertEquals(5, Calc.add(2, 3));
    }

    @Test
    void addsZero() {
        assertEquals(7, Calc.add(7, 0));
    }
}
