package io.onyxml.training.data;

import java.util.Comparator;
import java.util.List;

import static com.google.common.collect.ImmutableList.toImmutableList;

/**
 * The text form of class labels and their order. A number without a fraction is written as a whole number, so
 * {@code 1}, {@code 1.0} and {@code BIGINT 1} are one class; classes are ordered numerically when all are numbers
 * and as text otherwise (as scikit-learn orders {@code classes_}).
 */
public final class ClassLabels
{
    private ClassLabels() {}

    public static String format(double value)
    {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    public static List<String> sorted(List<String> labels)
    {
        boolean numeric = labels.stream().allMatch(ClassLabels::isNumber);
        Comparator<String> order = numeric ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder();
        return labels.stream().sorted(order).collect(toImmutableList());
    }

    public static boolean allIntegers(List<String> labels)
    {
        // only canonical forms: '007' or '-0' must stay text, or the label output would change them
        return labels.stream().allMatch(label -> label.matches("-?[0-9]{1,18}") && label.equals(Long.toString(Long.parseLong(label))));
    }

    /**
     * The text form of a label value as an engine passes it: text as is, booleans as {@code true}/{@code false},
     * numbers as {@link #format(double)}.
     */
    public static String of(Object value)
    {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Double || value instanceof Float) {
            return format(((Number) value).doubleValue());
        }
        if (value instanceof Number number) {
            return Long.toString(number.longValue());
        }
        return value.toString();
    }

    private static boolean isNumber(String text)
    {
        try {
            Double.parseDouble(text);
            return true;
        }
        catch (NumberFormatException e) {
            return false;
        }
    }
}
