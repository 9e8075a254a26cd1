package io.onyxml.training;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.OnyxException;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.onyxml.store.ModelNames.printable;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.lang.String.format;
import static java.util.stream.Collectors.joining;

/**
 * The options of one training, parsed from {@code 'name=value, ...'} and completed with the algorithm's defaults.
 */
public final class TrainingOptions
{
    private final Algorithm algorithm;
    private final Map<TrainingOption, Object> values;

    private TrainingOptions(Algorithm algorithm, Map<TrainingOption, Object> values)
    {
        this.algorithm = algorithm;
        this.values = ImmutableMap.copyOf(values);
    }

    public static TrainingOptions defaults(Algorithm algorithm)
    {
        return new TrainingOptions(algorithm, algorithm.defaults());
    }

    /**
     * Parses what a user wrote; an unknown option, a repeated one or a value out of range is an error that lists
     * what is valid.
     */
    public static TrainingOptions parse(Algorithm algorithm, String text)
    {
        Map<TrainingOption, Object> values = new LinkedHashMap<>(algorithm.defaults());
        if (text == null || text.isBlank()) {
            return new TrainingOptions(algorithm, values);
        }
        Map<TrainingOption, Object> given = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals < 0) {
                throw new OnyxException(INVALID_ARGUMENT, format("Option '%s' of %s has no value: write options => 'name=value, ...'", printable(entry.strip()), algorithm.algorithmName()));
            }
            String name = entry.substring(0, equals).strip();
            TrainingOption option = algorithm.defaults().keySet().stream()
                    .filter(candidate -> candidate.optionName().equalsIgnoreCase(name))
                    .findFirst()
                    .orElseThrow(() -> new OnyxException(INVALID_ARGUMENT, format(
                            "Unknown option '%s' for %s: its options are %s",
                            printable(name),
                            algorithm.algorithmName(),
                            validOptions(algorithm))));
            if (given.containsKey(option)) {
                throw new OnyxException(INVALID_ARGUMENT, format("Option '%s' is given twice", option.optionName()));
            }
            Object value;
            try {
                value = option.parse(entry.substring(equals + 1));
            }
            catch (IllegalArgumentException e) {
                throw new OnyxException(INVALID_ARGUMENT, format("Option %s=%s of %s is invalid: %s", option.optionName(), printable(entry.substring(equals + 1).strip()), algorithm.algorithmName(), e.getMessage()));
            }
            if (option == TrainingOption.DEVICE && !value.equals("cpu") && !value.equals("cuda")) {
                throw new OnyxException(INVALID_ARGUMENT, format("Option device=%s is invalid: expected cpu or cuda", printable(value.toString())));
            }
            given.put(option, value);
        }
        values.putAll(given);
        return new TrainingOptions(algorithm, values);
    }

    private static String validOptions(Algorithm algorithm)
    {
        return algorithm.defaults().entrySet().stream()
                .map(entry -> entry.getKey().optionName() + " (default " + entry.getValue() + ")")
                .collect(joining(", "));
    }

    public Algorithm algorithm()
    {
        return algorithm;
    }

    public double number(TrainingOption option)
    {
        return ((Number) value(option)).doubleValue();
    }

    public long integer(TrainingOption option)
    {
        return ((Number) value(option)).longValue();
    }

    public boolean flag(TrainingOption option)
    {
        return (Boolean) value(option);
    }

    public String text(TrainingOption option)
    {
        return (String) value(option);
    }

    private Object value(TrainingOption option)
    {
        Object value = values.get(option);
        if (value == null) {
            throw new IllegalArgumentException(format("%s has no option %s", algorithm.algorithmName(), option.optionName()));
        }
        return value;
    }

    /**
     * Every option with its value, as the manifest records them.
     */
    public Map<String, String> asMap()
    {
        ImmutableMap.Builder<String, String> map = ImmutableMap.builder();
        values.forEach((option, value) -> map.put(option.optionName(), value.toString()));
        return map.buildOrThrow();
    }
}
