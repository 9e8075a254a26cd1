package io.onyxml.inference;

import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.ScalarType;

/**
 * What an engine function asks of a model, and so which output it reads and how (see {@link ResultColumns}).
 */
public enum ResultKind
{
    /**
     * One number per row: the regression value, or a classifier's predicted class when its labels are numbers.
     */
    VALUE,
    /**
     * A classifier's predicted label as text.
     */
    LABEL,
    /**
     * A classifier's class probabilities, keyed by label.
     */
    PROBABILITIES,
    /**
     * The whole first output of the row as numbers (multi-output regression, embeddings).
     */
    VECTOR;

    /**
     * The type every engine's function of this kind returns, whatever the model: {@code double}, {@code varchar},
     * {@code map(varchar, double)} or {@code array(double)} (see {@link ResultColumns#scalar}).
     */
    public ColumnType columnType()
    {
        return switch (this) {
            case VALUE -> ScalarType.DOUBLE;
            case LABEL -> ScalarType.VARCHAR;
            case PROBABILITIES -> ColumnType.map(ScalarType.VARCHAR, ScalarType.DOUBLE);
            case VECTOR -> ColumnType.array(ScalarType.DOUBLE);
        };
    }
}
