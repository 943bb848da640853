// Compiled and run once when the image is built, to record the class-data-sharing archives of
// javac and of the JUnit console launcher (see the Dockerfile); never part of a run.
public class LegacyTest {
    @org.junit.Test public void legacy() { org.junit.Assert.assertEquals(1, 1); }
    @org.junit.Test public void legacyFails() { org.junit.Assert.assertEquals(1, 2); }
}
