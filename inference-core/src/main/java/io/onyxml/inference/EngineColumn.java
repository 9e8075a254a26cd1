package io.onyxml.inference;

import io.onyxml.inference.batch.ColumnType;

import java.util.Optional;

import static io.onyxml.store.ModelNames.printable;
import static java.util.Objects.requireNonNull;

/**
 * A column (or struct field) as an engine offers it: its name (empty when the engine has none), the column type it
 * maps to (empty when its engine type cannot reach a model) and the engine's own name of its type, for messages.
 */
public record EngineColumn(String name, Optional<ColumnType> type, String engineType)
{
    public EngineColumn
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(engineType, "engineType is null");
    }

    /**
     * The one message for a column or field whose type cannot reach a model, in every form of predict; a long name
     * (or a type naming long field names) shows by its start and length.
     */
    public static String unsupportedType(String what, String name, String engineType)
    {
        return String.format(
                "%s '%s' has type %s, which cannot be passed to a model; use double, real, bigint, integer, decimal, boolean, varchar or arrays of numbers (cast it)",
                what,
                printable(name),
                printable(engineType));
    }
}
