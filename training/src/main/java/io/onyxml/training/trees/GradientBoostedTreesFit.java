package io.onyxml.training.trees;

import com.google.common.collect.ImmutableList;
import io.onyxml.store.ModelFeatures;
import io.onyxml.store.OnyxException;
import io.onyxml.training.Fit;
import io.onyxml.training.FittedModel;
import io.onyxml.training.TrainingOptions;
import io.onyxml.training.data.TrainingTable;
import io.onyxml.training.encoding.FeatureEncoder;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.onyxml.store.OnyxErrorCode.INTERNAL_ERROR;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static io.onyxml.store.OnyxErrorCode.TRAINING_LIMIT_EXCEEDED;
import static io.onyxml.training.TrainingOption.COLSAMPLE_BYTREE;
import static io.onyxml.training.TrainingOption.DEVICE;
import static io.onyxml.training.TrainingOption.EARLY_STOPPING_ROUNDS;
import static io.onyxml.training.TrainingOption.LEARNING_RATE;
import static io.onyxml.training.TrainingOption.MAX_DEPTH;
import static io.onyxml.training.TrainingOption.MIN_CHILD_WEIGHT;
import static io.onyxml.training.TrainingOption.NUM_TREES;
import static io.onyxml.training.TrainingOption.REG_LAMBDA;
import static io.onyxml.training.TrainingOption.SEED;
import static io.onyxml.training.TrainingOption.SUBSAMPLE;
import static io.onyxml.training.TrainingOption.TEST_FRACTION;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Gradient-boosted trees with XGBoost4J ({@code hist} on the CPU): regression ({@code reg:squarederror}) for a
 * numeric label, binary ({@code binary:logistic}) or multiclass ({@code multi:softprob}) classification for a text
 * or boolean label. Each {@link #advance()} is one boosting round; with {@code early_stopping_rounds} the held-out
 * rows are evaluated after each round (rmse, logloss or mlogloss) and training stops when that has not improved for
 * so many rounds, keeping the rounds up to the best one. The booster is converted to ONNX by Onyx's own converter
 * from its JSON ({@link XGBoostJson}). The Maven Central XGBoost4J library has no CUDA support, so
 * {@code device=cuda} trains on the CPU with a warning.
 */
public final class GradientBoostedTreesFit
        implements Fit
{
    /** the float matrix handed to XGBoost: at most 2^31 values (8 GiB) */
    private static final long MAX_MATRIX_VALUES = Integer.MAX_VALUE - 8;
    private static final Pattern METRIC = Pattern.compile("test-[a-z]+:(\\S+)");

    private final String model;
    private final TrainingTable table;
    private final FeatureEncoder encoder;
    private final List<String> classLabels;
    private final int[] classOfCode;
    private final long rounds;
    private final long earlyStoppingRounds;
    private final Map<String, Object> parameters = new HashMap<>();
    private final ImmutableList.Builder<String> warnings = ImmutableList.builder();
    private final int[] trainingRows;
    private final int[] testRows;
    private int[] evaluatedTestRows;
    private DMatrix training;
    private DMatrix test;
    private Booster booster;
    private int round;
    private int bestRound = -1;
    private double bestMetric = Double.POSITIVE_INFINITY;
    private FittedTrees fitted;

    /**
     * @param classLabels the sorted classes of a classification, empty for a regression
     */
    public GradientBoostedTreesFit(String model, TrainingTable table, int[] trainingRows, int[] testRows, FeatureEncoder encoder, List<String> classLabels, TrainingOptions options)
    {
        this.model = requireNonNull(model, "model is null");
        this.table = requireNonNull(table, "table is null");
        this.encoder = requireNonNull(encoder, "encoder is null");
        this.classLabels = ImmutableList.copyOf(classLabels);
        this.classOfCode = table.classIndexes(classLabels);
        this.trainingRows = requireNonNull(trainingRows, "trainingRows is null");
        this.testRows = requireNonNull(testRows, "testRows is null");
        this.rounds = options.integer(NUM_TREES);
        this.earlyStoppingRounds = options.integer(EARLY_STOPPING_ROUNDS);
        if (earlyStoppingRounds > 0 && options.number(TEST_FRACTION) == 0) {
            throw new OnyxException(INVALID_ARGUMENT, "early_stopping_rounds needs held-out rows to watch: give test_fraction > 0 as well");
        }
        if (options.text(DEVICE).equals("cuda")) {
            warnings.add("device=cuda was asked for, but the XGBoost4J library from Maven Central is built without CUDA: trained on the CPU");
        }
        parameters.put("tree_method", "hist");
        parameters.put("device", "cpu");
        parameters.put("max_depth", (int) options.integer(MAX_DEPTH));
        parameters.put("eta", options.number(LEARNING_RATE));
        parameters.put("subsample", options.number(SUBSAMPLE));
        parameters.put("colsample_bytree", options.number(COLSAMPLE_BYTREE));
        parameters.put("min_child_weight", options.number(MIN_CHILD_WEIGHT));
        parameters.put("lambda", options.number(REG_LAMBDA));
        parameters.put("seed", options.integer(SEED));
        parameters.put("verbosity", 0);
        if (classLabels.isEmpty()) {
            parameters.put("objective", "reg:squarederror");
        }
        else if (classLabels.size() == 2) {
            parameters.put("objective", "binary:logistic");
        }
        else {
            parameters.put("objective", "multi:softprob");
            parameters.put("num_class", classLabels.size());
        }
        if (encoder.width() > ModelFeatures.MAX_FEATURES) {
            throw new OnyxException(INVALID_TRAINING_DATA, format(
                    "Model '%s' would split on %s encoded features (numbers, booleans and text categories), more than the %s a model may have; group rare categories or use fewer columns",
                    model,
                    encoder.width(),
                    ModelFeatures.MAX_FEATURES));
        }
        if ((long) trainingRows.length * encoder.width() > MAX_MATRIX_VALUES) {
            throw new OnyxException(TRAINING_LIMIT_EXCEEDED, format(
                    "Model '%s' would hand XGBoost %s rows of %s encoded features, more than %s values; train on fewer rows (or per partition) or group rare categories",
                    model,
                    trainingRows.length,
                    encoder.width(),
                    MAX_MATRIX_VALUES));
        }
        try {
            training = matrix(trainingRows);
            // the held-out rows whose class the training rows know: XGBoost refuses a label outside its classes
            int[] known = classLabels.isEmpty() ? testRows : Arrays.stream(testRows).filter(row -> classOfCode[table.labelCodes()[row]] >= 0).toArray();
            this.evaluatedTestRows = known.length == testRows.length ? testRows : known;
            if (known.length > 0) {
                test = matrix(known);
            }
            else if (earlyStoppingRounds > 0) {
                warnings.add("early_stopping_rounds had no held-out rows to watch: trained all rounds");
            }
        }
        catch (XGBoostError | RuntimeException e) {
            close();
            throw e instanceof XGBoostError error ? failure(error) : (RuntimeException) e;
        }
    }

    private DMatrix matrix(int[] rows)
            throws XGBoostError
    {
        float[] values = values(rows);
        float[] labels = labels(rows);
        DMatrix matrix = new DMatrix(values, rows.length, encoder.width(), Float.NaN);
        try {
            matrix.setLabel(labels);
            return matrix;
        }
        catch (XGBoostError | RuntimeException e) {
            matrix.dispose();
            throw e;
        }
    }

    /**
     * The encoded rows as XGBoost reads them, in float; a finite number beyond the float range is refused.
     */
    private float[] values(int[] rows)
    {
        int width = encoder.width();
        float[] values = new float[rows.length * width];
        double[] encoded = new double[width];
        for (int i = 0; i < rows.length; i++) {
            encoder.encode(table, rows[i], encoded);
            for (int slot = 0; slot < width; slot++) {
                float value = (float) encoded[slot];
                if (Float.isInfinite(value)) {
                    throw outOfFloatRange(encoder.slotNames().get(slot), encoded[slot]);
                }
                values[i * width + slot] = value;
            }
        }
        return values;
    }

    private float[] labels(int[] rows)
    {
        float[] labels = new float[rows.length];
        Optional<double[]> numbers = table.labelNumbers();
        for (int i = 0; i < rows.length; i++) {
            if (numbers.isPresent()) {
                labels[i] = (float) numbers.get()[rows[i]];
                if (Float.isInfinite(labels[i])) {
                    throw outOfFloatRange(table.label().orElseThrow().name(), numbers.get()[rows[i]]);
                }
            }
            else {
                labels[i] = classOfCode[table.labelCodes()[rows[i]]];
            }
        }
        return labels;
    }

    private OnyxException outOfFloatRange(String column, double value)
    {
        return new OnyxException(INVALID_TRAINING_DATA, format(
                "Column '%s' holds %s, beyond the float range XGBoost computes in (about 3.4e38); scale it in the input query",
                column,
                value));
    }

    @Override
    public boolean advance()
    {
        if (fitted != null) {
            return false;
        }
        try {
            if (booster == null) {
                booster = XGBoost.train(training, parameters, 0, new HashMap<>(), null, null);
            }
            if (round < rounds && !stoppedEarly()) {
                booster.update(training, round);
                if (test != null && earlyStoppingRounds > 0) {
                    double metric = metric(booster.evalSet(new DMatrix[] {test}, new String[] {"test"}, round));
                    if (metric < bestMetric) {
                        bestMetric = metric;
                        bestRound = round;
                    }
                }
                round++;
                return true;
            }
            int keptRounds = bestRound < 0 ? round : bestRound + 1;
            XGBoostJson.Parsed parsed = XGBoostJson.parse(booster.toByteArray("json"), format("The booster trained for model '%s'", model));
            TreeEnsemble ensemble = parsed.ensemble();
            int perRound = ensemble.trees().size() / Math.max(1, round);
            TreeEnsemble kept = new TreeEnsemble(ensemble.trees().subList(0, keptRounds * perRound), ensemble.outputs(), ensemble.baseMargins(), ensemble.features(), ensemble.objective());
            if (keptRounds < round) {
                warnings.add(format("early stopping kept %s of %s rounds (best held-out %s %.6g)", keptRounds, round, metricName(), bestMetric));
            }
            // the trainer's own predictions for the metrics, from XGBoost (native, on every core)
            IdentityHashMap<int[], float[][]> predictions = new IdentityHashMap<>();
            predictions.put(trainingRows, booster.predict(training, false, keptRounds));
            if (test != null) {
                predictions.put(evaluatedTestRows, booster.predict(test, false, keptRounds));
            }
            fitted = new FittedTrees(model, encoder, kept, classLabels, warnings.build(), keptRounds, predictions);
            close();
            return false;
        }
        catch (XGBoostError e) {
            close();
            throw failure(e);
        }
        catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private boolean stoppedEarly()
    {
        return earlyStoppingRounds > 0 && bestRound >= 0 && round - bestRound > earlyStoppingRounds;
    }

    private String metricName()
    {
        return classLabels.isEmpty() ? "rmse" : classLabels.size() == 2 ? "logloss" : "mlogloss";
    }

    private static double metric(String evaluation)
    {
        Matcher matcher = METRIC.matcher(evaluation);
        if (!matcher.find()) {
            throw new OnyxException(INTERNAL_ERROR, "XGBoost returned no held-out metric: " + evaluation);
        }
        return Double.parseDouble(matcher.group(1));
    }

    /**
     * Frees XGBoost's native memory; an abandoned fit (a cancelled query) frees it when it is garbage collected.
     */
    @Override
    public void close()
    {
        if (training != null) {
            training.dispose();
            training = null;
        }
        if (test != null) {
            test.dispose();
            test = null;
        }
        if (booster != null) {
            booster.dispose();
            booster = null;
        }
    }

    @Override
    public FittedModel fitted()
    {
        return requireNonNull(fitted, "not fitted yet");
    }

    private OnyxException failure(XGBoostError e)
    {
        return new OnyxException(INTERNAL_ERROR, format("XGBoost failed to train model '%s': %s", model, e.getMessage()), e);
    }
}
