package io.onyxml.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.google.common.collect.ImmutableList;
import io.onyxml.inference.BindingMode;
import io.onyxml.inference.InferenceEngine;
import io.onyxml.inference.InputColumn;
import io.onyxml.inference.OutputColumn;
import io.onyxml.inference.Predictor;
import io.onyxml.inference.batch.BooleanColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_INPUT;
import static java.lang.String.format;

/**
 * Scores a CSV file with a header row, in batches, writing the input columns followed by the model's outputs. Column
 * types come from the first batch: a column whose non-empty values are all numbers is double, all true/false is
 * boolean, anything else is varchar; an empty field is NULL.
 */
final class CsvScorer
{
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            // the caller owns the output stream (it may be standard output)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();

    private final InferenceEngine engine;
    private final int batchSize;

    CsvScorer(InferenceEngine engine, int batchSize)
    {
        this.engine = engine;
        this.batchSize = batchSize;
    }

    /**
     * Returns the number of rows scored.
     */
    long score(ModelManifest manifest, Reader input, Writer output, BindingMode mode)
            throws IOException
    {
        try (MappingIterator<List<String>> rows = MAPPER.readerForListOf(String.class).readValues(input)) {
            if (!rows.hasNext()) {
                throw new OnyxException(INVALID_MODEL_INPUT, "The CSV input is empty: it needs a header row naming the columns");
            }
            List<String> header = rows.next();
            List<List<String>> batch = next(rows, header.size());
            List<InputColumn> columns = inferColumns(header, batch);
            Predictor predictor = engine.predictor(manifest, columns, mode);

            List<String> outputHeader = new ArrayList<>(header);
            predictor.outputColumns().stream().map(OutputColumn::name).forEach(outputHeader::add);
            long scored = 0;
            try (SequenceWriter writer = MAPPER.writer(CsvSchema.emptySchema()).writeValues(output)) {
                writer.write(outputHeader);
                while (!batch.isEmpty()) {
                    ColumnBatch result = predictor.predict(toBatch(columns, batch));
                    for (int row = 0; row < batch.size(); row++) {
                        List<String> line = new ArrayList<>(batch.get(row));
                        for (int column = 0; column < result.columns().size(); column++) {
                            line.add(text(result.column(column).value(row)));
                        }
                        writer.write(line);
                    }
                    scored += batch.size();
                    batch = next(rows, header.size());
                }
            }
            return scored;
        }
    }

    private List<List<String>> next(MappingIterator<List<String>> rows, int width)
    {
        List<List<String>> batch = new ArrayList<>();
        while (batch.size() < batchSize && rows.hasNext()) {
            List<String> row = rows.next();
            if (row.size() == 1 && row.get(0).isEmpty()) {
                continue;
            }
            if (row.size() != width) {
                throw new OnyxException(INVALID_MODEL_INPUT, format("CSV line %s has %s fields, the header %s", rows.getCurrentLocation().getLineNr(), row.size(), width));
            }
            batch.add(row);
        }
        return batch;
    }

    private static List<InputColumn> inferColumns(List<String> header, List<List<String>> rows)
    {
        ImmutableList.Builder<InputColumn> columns = ImmutableList.builder();
        for (int column = 0; column < header.size(); column++) {
            boolean numbers = true;
            boolean booleans = true;
            for (List<String> row : rows) {
                String value = row.get(column).strip();
                if (value.isEmpty()) {
                    continue;
                }
                numbers &= parseDouble(value) != null;
                booleans &= value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
            }
            ScalarType type = numbers ? ScalarType.DOUBLE : booleans ? ScalarType.BOOLEAN : ScalarType.VARCHAR;
            columns.add(new InputColumn(header.get(column).strip(), type));
        }
        return columns.build();
    }

    private static ColumnBatch toBatch(List<InputColumn> columns, List<List<String>> rows)
    {
        ColumnBatch.Builder batch = ColumnBatch.builder(rows.size());
        for (int index = 0; index < columns.size(); index++) {
            InputColumn column = columns.get(index);
            batch.add(column.name(), toColumn(column, index, rows));
        }
        return batch.build();
    }

    private static Column toColumn(InputColumn column, int index, List<List<String>> rows)
    {
        int size = rows.size();
        boolean[] nulls = new boolean[size];
        String[] texts = new String[size];
        for (int row = 0; row < size; row++) {
            String value = rows.get(row).get(index).strip();
            nulls[row] = value.isEmpty();
            texts[row] = nulls[row] ? null : value;
        }
        if (column.type() == ScalarType.DOUBLE) {
            double[] values = new double[size];
            for (int row = 0; row < size; row++) {
                if (!nulls[row]) {
                    Double value = parseDouble(texts[row]);
                    if (value == null) {
                        throw new OnyxException(INVALID_MODEL_INPUT, format("CSV column '%s' holds numbers, but has '%s'", column.name(), texts[row]));
                    }
                    values[row] = value;
                }
            }
            return new DoubleColumn(values, nulls);
        }
        if (column.type() == ScalarType.BOOLEAN) {
            boolean[] values = new boolean[size];
            for (int row = 0; row < size; row++) {
                values[row] = !nulls[row] && texts[row].toLowerCase(Locale.ROOT).equals("true");
            }
            return new BooleanColumn(values, nulls);
        }
        return new StringColumn(texts);
    }

    private static Double parseDouble(String text)
    {
        try {
            return Double.parseDouble(text);
        }
        catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(Object value)
    {
        return value == null ? "" : value.toString();
    }
}
