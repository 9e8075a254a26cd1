package io.onyxml.training.encoding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import io.onyxml.inference.MissingValues;
import io.onyxml.training.TrainingLimits;
import io.onyxml.training.data.TrainingColumn;
import io.onyxml.training.data.TrainingTable;

import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the rows of a {@link TrainingTable} into rows of doubles, as the exported ONNX graph does at prediction:
 * numbers imputed with their training mean and optionally standardised, text one-hot encoded over the categories
 * seen in training (sorted, so that the result does not depend on the order of the rows).
 */
public final class FeatureEncoder
        implements Serializable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<EncodedFeature> features;
    private final int width;
    private final int[][] slotOfCode;

    private FeatureEncoder(List<EncodedFeature> features, int[][] slotOfCode)
    {
        this.features = ImmutableList.copyOf(features);
        this.width = features.stream().mapToInt(EncodedFeature::width).sum();
        this.slotOfCode = slotOfCode;
    }

    /**
     * Learns the encoding from the given rows of the table (the training rows, not the held-out ones).
     */
    public static FeatureEncoder fit(TrainingTable table, int[] rows, boolean standardize)
    {
        return fit(table, rows, standardize, true);
    }

    /**
     * @param imputeMissing false to keep a NULL number as NaN (for tree models, which route missing values
     * themselves)
     */
    public static FeatureEncoder fit(TrainingTable table, int[] rows, boolean standardize, boolean imputeMissing)
    {
        FeatureStatistics statistics = new FeatureStatistics(table.features(), Integer.MAX_VALUE);
        for (int index = 0; index < table.features().size(); index++) {
            if (table.features().get(index).isText()) {
                int[] codes = table.codes(index);
                List<String> categories = table.categories(index);
                boolean[] seen = new boolean[categories.size()];
                for (int row : rows) {
                    seen[codes[row]] = true;
                }
                for (int code = 0; code < seen.length; code++) {
                    if (seen[code]) {
                        statistics.addText(index, categories.get(code), TrainingLimits.DEFAULTS);
                    }
                }
            }
            else {
                double[] values = table.numbers(index);
                for (int row : rows) {
                    statistics.addNumber(index, values[row]);
                }
            }
        }
        FeatureEncoder encoder = fit(statistics, standardize, imputeMissing);
        // the table's category codes, mapped once to their slots
        int[][] slotOfCode = new int[table.features().size()][];
        for (int index = 0; index < table.features().size(); index++) {
            if (table.features().get(index).isText()) {
                List<String> categories = table.categories(index);
                List<String> vocabulary = encoder.features.get(index).vocabulary();
                int[] slots = new int[categories.size()];
                for (int code = 0; code < slots.length; code++) {
                    int slot = Collections.binarySearch(vocabulary, categories.get(code));
                    slots[code] = slot >= 0 ? slot : -1;
                }
                slotOfCode[index] = slots;
            }
        }
        return new FeatureEncoder(encoder.features, slotOfCode);
    }

    /**
     * The encoding that merged statistics describe: the rule every engine trains with.
     */
    public static FeatureEncoder fit(FeatureStatistics statistics, boolean standardize, boolean imputeMissing)
    {
        List<EncodedFeature> features = new ArrayList<>();
        List<TrainingColumn> columns = statistics.columns();
        int slot = 0;
        for (int index = 0; index < columns.size(); index++) {
            TrainingColumn column = columns.get(index);
            if (column.isText()) {
                List<String> vocabulary = statistics.categories(index);
                features.add(new EncodedFeature(column, slot, 0, 0, 1, vocabulary, vocabulary.size() <= 1));
            }
            else {
                NumericSummary summary = statistics.numbers(index);
                double deviation = summary.standardDeviation();
                boolean constant = summary.count() == 0 || deviation <= 1e-12 * Math.max(1, Math.abs(summary.mean()));
                double scale = standardize && !constant ? deviation : 1;
                double center = standardize ? summary.mean() : 0;
                features.add(new EncodedFeature(column, slot, imputeMissing ? summary.mean() : Double.NaN, center, scale, ImmutableList.of(), constant));
            }
            slot += features.get(features.size() - 1).width();
        }
        return new FeatureEncoder(features, new int[columns.size()][]);
    }

    /**
     * Writes the encoding of one row of raw values into {@code out[0 .. width)}: a number (or NaN for NULL) per numeric
     * feature, a string (or null) per text feature, in the features' order; for engines that do not build a
     * {@link TrainingTable}.
     */
    public void encode(Object[] values, double[] out)
    {
        for (int index = 0; index < features.size(); index++) {
            EncodedFeature feature = features.get(index);
            if (feature.column().isText()) {
                Arrays.fill(out, feature.firstSlot(), feature.firstSlot() + feature.width(), 0);
                String value = values[index] == null ? MissingValues.TEXT : (String) values[index];
                int slot = Collections.binarySearch(feature.vocabulary(), value);
                if (slot >= 0) {
                    out[feature.firstSlot() + slot] = 1;
                }
            }
            else {
                double value = values[index] == null ? Double.NaN : ((Number) values[index]).doubleValue();
                if (Double.isNaN(value)) {
                    value = feature.mean();
                }
                out[feature.firstSlot()] = (value - feature.center()) / feature.scale();
            }
        }
    }

    public List<EncodedFeature> features()
    {
        return features;
    }

    /**
     * The number of doubles in an encoded row.
     */
    public int width()
    {
        return width;
    }

    /**
     * Writes the encoded row {@code row} of the table into {@code out[0 .. width)}.
     */
    public void encode(TrainingTable table, int row, double[] out)
    {
        for (int index = 0; index < features.size(); index++) {
            EncodedFeature feature = features.get(index);
            if (slotOfCode[index] != null) {
                Arrays.fill(out, feature.firstSlot(), feature.firstSlot() + feature.width(), 0);
                int slot = slotOfCode[index][table.codes(index)[row]];
                if (slot >= 0) {
                    out[feature.firstSlot() + slot] = 1;
                }
            }
            else {
                double value = table.numbers(index)[row];
                if (Double.isNaN(value)) {
                    value = feature.mean();
                }
                out[feature.firstSlot()] = (value - feature.center()) / feature.scale();
            }
        }
    }

    /**
     * The preprocessing as JSON, one object per column in input order: its type; for a number the value a NULL
     * becomes ({@code null} when it stays missing), the centre and the scale; for text the categories in slot order.
     */
    public String describe()
    {
        List<Map<String, Object>> columns = new ArrayList<>();
        for (EncodedFeature feature : features) {
            Map<String, Object> column = new LinkedHashMap<>();
            column.put("column", feature.column().name());
            column.put("type", feature.column().type().displayName());
            if (feature.column().isText()) {
                column.put("categories", feature.vocabulary());
            }
            else {
                column.put("missing", feature.imputes() ? feature.mean() : null);
                column.put("center", feature.center());
                column.put("scale", feature.scale());
            }
            columns.add(column);
        }
        try {
            return JSON.writeValueAsString(columns);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The names of the encoded slots: the column name, or {@code column=category} for one-hot slots.
     */
    public List<String> slotNames()
    {
        ImmutableList.Builder<String> names = ImmutableList.builder();
        for (EncodedFeature feature : features) {
            if (feature.column().isText()) {
                feature.vocabulary().forEach(category -> names.add(feature.column().name() + "=" + category));
            }
            else {
                names.add(feature.column().name());
            }
        }
        return names.build();
    }
}
