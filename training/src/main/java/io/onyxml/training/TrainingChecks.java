package io.onyxml.training;

import io.onyxml.store.OnyxException;

import java.util.List;
import java.util.Optional;

import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static java.lang.String.format;

/**
 * What the rows of a training must have, checked the same way whether an engine collected them into a table or
 * counted them over partitions.
 */
public final class TrainingChecks
{
    private TrainingChecks() {}

    /**
     * @param rows the rows read (those with a label, when there is one)
     * @param skippedRows the rows left out for a NULL label
     */
    public static void checkRows(String model, Algorithm algorithm, Optional<String> label, long rows, long skippedRows)
    {
        if (rows > 0) {
            return;
        }
        if (skippedRows > 0) {
            throw new OnyxException(INVALID_TRAINING_DATA, format("Label '%s' is NULL in every one of the %s input rows", label.orElseThrow(), skippedRows));
        }
        throw new OnyxException(INVALID_TRAINING_DATA, format("The input of %s for model '%s' has no rows", algorithm.algorithmName(), model));
    }

    /**
     * The classes of a label read as classes, over every row read.
     */
    public static void checkClasses(Algorithm algorithm, String label, List<String> classes)
    {
        if (classes.size() < 2) {
            throw new OnyxException(INVALID_TRAINING_DATA, format("Label '%s' has a single class ('%s'); %s needs at least two classes", label, classes.get(0), algorithm.algorithmName()));
        }
    }

    public static void checkTrainingRows(String model, double testFraction, long trainingRows, long rows)
    {
        if (trainingRows == 0) {
            throw new OnyxException(INVALID_TRAINING_DATA, format("Model '%s' has no training rows left after holding out test_fraction=%s of %s rows", model, testFraction, rows));
        }
    }

    /**
     * The classes of a label read as classes, over the training rows (the held-out rows may have had others).
     */
    public static void checkTrainingClasses(Algorithm algorithm, String label, List<String> classes)
    {
        if (classes.size() < 2) {
            throw new OnyxException(INVALID_TRAINING_DATA, format(
                    "Label '%s' has a single class ('%s') in the training rows; %s needs at least two",
                    label,
                    classes.get(0),
                    algorithm == Algorithm.LOGISTIC_REGRESSION ? "logistic_regression" : "classification"));
        }
    }
}
