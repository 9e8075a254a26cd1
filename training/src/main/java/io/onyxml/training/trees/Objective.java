package io.onyxml.training.trees;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.ModelTask;

import java.util.Map;
import java.util.Optional;

/**
 * The XGBoost objectives Onyx converts, and how each turns margins into predictions and a stored base score into a
 * base margin (XGBoost's {@code ProbToMargin}).
 */
public enum Objective
{
    /** the margin is the prediction */
    IDENTITY(ModelTask.REGRESSION),
    /** the prediction is exp(margin): count:poisson, reg:gamma, reg:tweedie */
    EXP(ModelTask.REGRESSION),
    /** reg:logistic: the prediction is sigmoid(margin), a number in (0, 1) */
    LOGISTIC_REGRESSION(ModelTask.REGRESSION),
    /** binary:logistic: the probability of the second class is sigmoid(margin) */
    BINARY(ModelTask.CLASSIFICATION),
    /** binary:logitraw: classes as binary, scored by the raw margin */
    BINARY_RAW(ModelTask.CLASSIFICATION),
    /** multi:softprob and multi:softmax: class probabilities are the softmax of the margins */
    MULTICLASS(ModelTask.CLASSIFICATION);

    private static final Map<String, Objective> BY_NAME = ImmutableMap.<String, Objective>builder()
            .put("reg:squarederror", IDENTITY)
            .put("reg:linear", IDENTITY)
            .put("reg:absoluteerror", IDENTITY)
            .put("reg:pseudohubererror", IDENTITY)
            .put("reg:squaredlogerror", IDENTITY)
            .put("reg:quantileerror", IDENTITY)
            .put("count:poisson", EXP)
            .put("reg:gamma", EXP)
            .put("reg:tweedie", EXP)
            .put("reg:logistic", LOGISTIC_REGRESSION)
            .put("binary:logistic", BINARY)
            .put("binary:logitraw", BINARY_RAW)
            .put("multi:softprob", MULTICLASS)
            .put("multi:softmax", MULTICLASS)
            .buildOrThrow();

    private final ModelTask task;

    Objective(ModelTask task)
    {
        this.task = task;
    }

    public ModelTask task()
    {
        return task;
    }

    public static Optional<Objective> fromXgboostName(String name)
    {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static String supportedNames()
    {
        return String.join(", ", BY_NAME.keySet());
    }

    /**
     * The margin a stored base score stands for.
     */
    public float baseMargin(float baseScore)
    {
        return switch (this) {
            case BINARY, BINARY_RAW, LOGISTIC_REGRESSION -> (float) -Math.log(1 / (double) baseScore - 1);
            case EXP -> (float) Math.log(baseScore);
            case IDENTITY, MULTICLASS -> baseScore;
        };
    }
}
