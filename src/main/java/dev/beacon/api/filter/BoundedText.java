package dev.beacon.api.filter;

/**
 * A string that a regular expression may read only so many characters of: each read counts, and one past the
 * budget throws {@link CostlyRegexException}. Counting reads bounds a backtracking match without a clock or a
 * thread.
 */
final class BoundedText implements CharSequence {
    /** Characters a pattern may read per value: a simple pattern reads each character a few times. */
    static final int STEPS = 200_000;

    private final String text;
    private final String pattern;
    private final int[] steps;

    BoundedText(String text, String pattern) {
        this(text, pattern, new int[] {0});
    }

    private BoundedText(String text, String pattern, int[] steps) {
        this.text = text;
        this.pattern = pattern;
        this.steps = steps;
    }

    @Override
    public char charAt(int index) {
        if (++steps[0] > STEPS) {
            throw new CostlyRegexException(pattern, STEPS);
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BoundedText(text.substring(start, end), pattern, steps);
    }

    @Override
    public String toString() {
        return text;
    }
}
