package io.onyxml.training;

import java.util.Locale;

import static java.lang.String.format;

/**
 * An option of {@code train_model(..., options => 'name=value, ...')}: its name, kind, default and valid range.
 */
public enum TrainingOption
{
    L2("l2", Kind.NUMBER, "penalty on the squared coefficients (ridge); the intercept is not penalised", 0, Double.MAX_VALUE),
    STANDARDIZE("standardize", Kind.BOOLEAN, "standardise numeric features (mean 0, population standard deviation 1) before solving; the graph applies the same scaling", 0, 1),
    MAX_ITER("max_iter", Kind.INTEGER, "maximum number of solver iterations (Newton steps, Lloyd iterations)", 1, 100_000),
    TOLERANCE("tolerance", Kind.NUMBER, "convergence tolerance of the solver", 0, 1),
    NUM_TREES("num_trees", Kind.INTEGER, "number of boosting rounds", 1, 100_000),
    MAX_DEPTH("max_depth", Kind.INTEGER, "maximum depth of a tree", 1, 32),
    LEARNING_RATE("learning_rate", Kind.NUMBER, "shrinkage of each tree (XGBoost eta)", 1e-9, 1),
    SUBSAMPLE("subsample", Kind.NUMBER, "fraction of rows sampled for each tree", 1e-9, 1),
    COLSAMPLE_BYTREE("colsample_bytree", Kind.NUMBER, "fraction of features sampled for each tree", 1e-9, 1),
    MIN_CHILD_WEIGHT("min_child_weight", Kind.NUMBER, "minimum sum of hessians in a leaf", 0, Double.MAX_VALUE),
    REG_LAMBDA("reg_lambda", Kind.NUMBER, "L2 penalty on leaf weights", 0, Double.MAX_VALUE),
    EARLY_STOPPING_ROUNDS("early_stopping_rounds", Kind.INTEGER, "stop when the held-out metric has not improved for this many rounds (needs test_fraction > 0); 0 trains every round", 0, 100_000),
    DEVICE("device", Kind.TEXT, "cpu or cuda", 0, 0),
    K("k", Kind.INTEGER, "number of clusters", 1, 10_000),
    N_INIT("n_init", Kind.INTEGER, "number of k-means++ restarts; the one with the lowest inertia is kept", 1, 1000),
    TEST_FRACTION("test_fraction", Kind.NUMBER, "fraction of rows held out for test_metrics, chosen by a hash of each row and the seed", 0, 0.9),
    SEED("seed", Kind.INTEGER, "seed of the train/test split and of random initialisations", Long.MIN_VALUE, Long.MAX_VALUE);

    public enum Kind
    {
        NUMBER,
        INTEGER,
        BOOLEAN,
        TEXT,
    }

    private final String optionName;
    private final Kind kind;
    private final String description;
    private final double minimum;
    private final double maximum;

    TrainingOption(String optionName, Kind kind, String description, double minimum, double maximum)
    {
        this.optionName = optionName;
        this.kind = kind;
        this.description = description;
        this.minimum = minimum;
        this.maximum = maximum;
    }

    public String optionName()
    {
        return optionName;
    }

    public Kind kind()
    {
        return kind;
    }

    public String description()
    {
        return description;
    }

    /**
     * Parses and checks a value; the error text says what is expected.
     */
    Object parse(String text)
    {
        String value = text.strip();
        switch (kind) {
            case BOOLEAN -> {
                String lower = value.toLowerCase(Locale.ROOT);
                if (lower.equals("true") || lower.equals("false")) {
                    return Boolean.parseBoolean(lower);
                }
                throw new IllegalArgumentException("expected true or false");
            }
            case TEXT -> {
                return value.toLowerCase(Locale.ROOT);
            }
            case INTEGER -> {
                long number;
                try {
                    number = Long.parseLong(value);
                }
                catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected a whole number" + range());
                }
                if (number < minimum || number > maximum) {
                    throw new IllegalArgumentException("expected a whole number" + range());
                }
                return number;
            }
            case NUMBER -> {
                double number;
                try {
                    number = Double.parseDouble(value);
                }
                catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected a number" + range());
                }
                if (!Double.isFinite(number) || number < minimum || number > maximum) {
                    throw new IllegalArgumentException("expected a number" + range());
                }
                return number;
            }
        }
        throw new AssertionError(kind);
    }

    private String range()
    {
        if (this == SEED) {
            return "";
        }
        if (maximum == Double.MAX_VALUE) {
            return format(" of at least %s", plain(minimum));
        }
        return format(" from %s to %s", plain(minimum), plain(maximum));
    }

    private static String plain(double value)
    {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
