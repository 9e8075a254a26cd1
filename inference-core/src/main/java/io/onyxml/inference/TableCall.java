package io.onyxml.inference;

import com.google.common.collect.ImmutableList;
import io.onyxml.store.ModelFeatures;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;
import io.onyxml.store.ValueSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_INPUT;
import static java.lang.String.format;
import static java.util.stream.Collectors.joining;

/**
 * How the table form of predict binds an input table to a model, the same in every engine: without a list of
 * feature columns, every named column of a type a model can take is a candidate and the model's features bind to
 * them by name (the others only pass through); with a list ({@code features => DESCRIPTOR(a, b)} in Trino), exactly
 * those columns bind by position. The result columns ({@link ResultColumns#table}) follow the input columns, so none
 * may share a name with one of them.
 *
 * @param mode how the fed columns bind, which the engine repeats where the query runs
 * @param channels the indexes, in the input table, of the columns the model reads, in the order it takes them (the
 * listed order, or the input order when bound by name); an engine feeds the predictor those columns, named as in
 * the input, in this order
 * @param results the result columns the engine appends to every input row
 */
public record TableCall(PredictionPlan plan, BindingMode mode, List<Integer> channels, List<ResultColumn> results)
{
    public TableCall
    {
        channels = ImmutableList.copyOf(channels);
        results = ImmutableList.copyOf(results);
    }

    public static TableCall bind(ModelManifest manifest, List<EngineColumn> columns, Optional<List<String>> listed)
    {
        List<Integer> candidates = listed.map(names -> listedColumns(names, columns)).orElseGet(() -> typedColumns(columns));
        BindingMode mode = listed.isPresent() ? BindingMode.BY_POSITION : BindingMode.BY_NAME;
        List<InputColumn> offered = candidates.stream()
                .map(index -> new InputColumn(columns.get(index).name(), columns.get(index).type().orElseThrow()))
                .collect(toImmutableList());
        PredictionPlan plan = listed.isPresent() ? PredictionPlan.create(manifest, offered, mode) : planByName(manifest, offered, columns);
        Set<Integer> used = new TreeSet<>();
        plan.inputs().forEach(binding -> used.addAll(binding.columns()));
        List<Integer> channels = used.stream().map(candidates::get).collect(toImmutableList());
        List<ResultColumn> results = ResultColumns.table(plan);
        for (ResultColumn result : results) {
            if (!matches(columns, result.name()).isEmpty()) {
                throw new OnyxException(INVALID_ARGUMENT, format(
                        "The input table has a column named '%s', like a result column of model %s; rename it in the input query",
                        result.name(),
                        manifest.reference()));
            }
        }
        // the predictor is fed only the channels, so the plan the engine runs binds those columns alone
        List<InputColumn> fed = channels.stream()
                .map(index -> new InputColumn(columns.get(index).name(), columns.get(index).type().orElseThrow()))
                .collect(toImmutableList());
        return new TableCall(PredictionPlan.create(manifest, fed, mode), mode, channels, results);
    }

    /**
     * Plans a model over the typed columns of a table, bound by name (the other columns only pass through). When that
     * fails and a column the model reads by name has a type no model takes (a struct, a date), the error says so,
     * rather than that the model's feature is missing.
     *
     * @param offered the typed columns offered to the model
     * @param columns all the columns of the table
     */
    public static PredictionPlan planByName(ModelManifest manifest, List<InputColumn> offered, List<EngineColumn> columns)
    {
        try {
            return PredictionPlan.create(manifest, offered, BindingMode.BY_NAME);
        }
        catch (OnyxException e) {
            if (e.errorCode() != INVALID_MODEL_INPUT) {
                throw e;
            }
            Set<String> read = new HashSet<>();
            manifest.featureNames().forEach(name -> read.add(name.toLowerCase(Locale.ROOT)));
            ModelFeatures.inputNames(manifest.signature()).forEach(name -> read.add(name.toLowerCase(Locale.ROOT)));
            manifest.signature().inputs().stream().map(ValueSpec::name).forEach(name -> read.add(name.toLowerCase(Locale.ROOT)));
            for (EngineColumn column : columns) {
                if (column.type().isEmpty() && read.contains(column.name().toLowerCase(Locale.ROOT))) {
                    throw new OnyxException(INVALID_MODEL_INPUT, EngineColumn.unsupportedType("Column", column.name(), column.engineType()), e);
                }
            }
            throw e;
        }
    }

    private static List<Integer> typedColumns(List<EngineColumn> columns)
    {
        ImmutableList.Builder<Integer> candidates = ImmutableList.builder();
        for (int index = 0; index < columns.size(); index++) {
            if (!columns.get(index).name().isEmpty() && columns.get(index).type().isPresent()) {
                candidates.add(index);
            }
        }
        return candidates.build();
    }

    private static List<Integer> listedColumns(List<String> names, List<EngineColumn> columns)
    {
        List<Integer> candidates = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String listedName : names) {
            String name = listedName.toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                throw new OnyxException(INVALID_ARGUMENT, format("Column '%s' is listed twice in the feature columns", name));
            }
            List<Integer> matching = matches(columns, name);
            if (matching.size() > 1) {
                throw new OnyxException(INVALID_ARGUMENT, format(
                        "Feature column '%s' matches several input columns when case is ignored: %s; rename them in the input query",
                        name,
                        matching.stream().map(match -> "'" + columns.get(match).name() + "'").collect(joining(", "))));
            }
            if (matching.isEmpty()) {
                throw new OnyxException(INVALID_ARGUMENT, format(
                        "Feature column '%s' is not a column of the input table; its columns are: %s",
                        name,
                        columns.stream().map(column -> column.name().isEmpty() ? "?" : column.name()).collect(joining(", "))));
            }
            EngineColumn column = columns.get(matching.get(0));
            if (column.type().isEmpty()) {
                throw new OnyxException(INVALID_ARGUMENT, EngineColumn.unsupportedType("Column", name, column.engineType()));
            }
            candidates.add(matching.get(0));
        }
        return candidates;
    }

    private static List<Integer> matches(List<EngineColumn> columns, String name)
    {
        ImmutableList.Builder<Integer> matches = ImmutableList.builder();
        for (int index = 0; index < columns.size(); index++) {
            if (columns.get(index).name().equalsIgnoreCase(name)) {
                matches.add(index);
            }
        }
        return matches.build();
    }
}
