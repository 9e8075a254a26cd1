package io.onyxml.training;

import static java.util.Objects.requireNonNull;

/**
 * How an engine's users name what the core's input rules talk about, so that {@link InputColumns} says it in each
 * engine's words.
 *
 * @param input what the input is called: {@code input table}, {@code DataFrame}
 * @param fix where a user changes the input: {@code in the input query}
 * @param featureList the argument that lists feature columns: {@code features => DESCRIPTOR(...)}
 * @param featureTypeHint what to do about a column that cannot be a feature
 * @param labelArgument the label argument, {@code %s} standing for the column: {@code label => '%s'}
 */
public record InputWording(String input, String fix, String featureList, String featureTypeHint, String labelArgument)
{
    public InputWording
    {
        requireNonNull(input, "input is null");
        requireNonNull(fix, "fix is null");
        requireNonNull(featureList, "featureList is null");
        requireNonNull(featureTypeHint, "featureTypeHint is null");
        requireNonNull(labelArgument, "labelArgument is null");
    }

    String label(String column)
    {
        return labelArgument.formatted(column);
    }
}
