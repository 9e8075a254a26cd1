package io.onyxml.trino.functions.predict;

import com.google.common.collect.ImmutableList;
import io.airlift.slice.Slice;
import io.onyxml.inference.BindingMode;
import io.onyxml.inference.InputColumn;
import io.onyxml.inference.PredictionPlan;
import io.onyxml.inference.ResultColumn;
import io.onyxml.inference.ResultColumns;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.store.ModelManifest;
import io.onyxml.trino.OnyxModels;
import io.onyxml.trino.TypeMapping;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorAccessControl;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.function.table.AbstractConnectorTableFunction;
import io.trino.spi.function.table.Argument;
import io.trino.spi.function.table.Descriptor;
import io.trino.spi.function.table.DescriptorArgument;
import io.trino.spi.function.table.DescriptorArgumentSpecification;
import io.trino.spi.function.table.ScalarArgument;
import io.trino.spi.function.table.ScalarArgumentSpecification;
import io.trino.spi.function.table.TableArgument;
import io.trino.spi.function.table.TableArgumentSpecification;
import io.trino.spi.function.table.TableFunctionAnalysis;
import io.trino.spi.type.RowType;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeManager;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.trino.TrinoErrors.translated;
import static io.trino.spi.StandardErrorCode.INVALID_FUNCTION_ARGUMENT;
import static io.trino.spi.function.table.ReturnTypeSpecification.GenericTable.GENERIC_TABLE;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

/**
 * {@code TABLE(predict(input => TABLE(t), model => 'churn@production' [, features => DESCRIPTOR(a, b)]))}: every input
 * column followed by the model's results (see {@link ResultColumns#table}). Columns bind to the model's features by
 * name, or by position when {@code features} lists them. The model version, the binding and the result types are
 * settled here, at analysis, so a wrong column fails before the query runs. Row semantics: the rows spread over all
 * workers, which score them a page at a time. The input columns are returned as the function's own columns (as
 * Trino's {@code exclude_columns} does), so that they come first; select only the columns you need in the input query.
 */
public class PredictTableFunction
        extends AbstractConnectorTableFunction
{
    public static final String SCHEMA = "system";
    public static final String NAME = "predict";
    private static final String INPUT = "INPUT";
    private static final String MODEL = "MODEL";
    private static final String FEATURES = "FEATURES";

    private final OnyxModels models;
    private final TypeManager typeManager;

    public PredictTableFunction(OnyxModels models, TypeManager typeManager)
    {
        super(
                SCHEMA,
                NAME,
                ImmutableList.of(
                        TableArgumentSpecification.builder()
                                .name(INPUT)
                                .rowSemantics()
                                .build(),
                        ScalarArgumentSpecification.builder()
                                .name(MODEL)
                                .type(VARCHAR)
                                .build(),
                        DescriptorArgumentSpecification.builder()
                                .name(FEATURES)
                                .defaultValue(null)
                                .build()),
                GENERIC_TABLE);
        this.models = requireNonNull(models, "models is null");
        this.typeManager = requireNonNull(typeManager, "typeManager is null");
    }

    @Override
    public TableFunctionAnalysis analyze(ConnectorSession session, ConnectorTransactionHandle transaction, Map<String, Argument> arguments, ConnectorAccessControl accessControl)
    {
        Slice reference = (Slice) ((ScalarArgument) arguments.get(MODEL)).getValue();
        if (reference == null) {
            throw new TrinoException(INVALID_FUNCTION_ARGUMENT, "predict needs a model: model => 'name', 'name/3' or 'name@alias'");
        }
        List<RowType.Field> fields = ((TableArgument) arguments.get(INPUT)).getRowType().getFields();
        Optional<Descriptor> features = ((DescriptorArgument) arguments.get(FEATURES)).getDescriptor();

        // as of the query's start, like the scalar functions of the same query
        ModelManifest manifest = models.resolve(reference.toStringUtf8(), session);
        List<Integer> candidates = features.map(descriptor -> listedColumns(descriptor, fields)).orElseGet(() -> typedColumns(fields));
        BindingMode mode = features.isPresent() ? BindingMode.BY_POSITION : BindingMode.BY_NAME;
        List<InputColumn> candidateColumns = candidates.stream().map(index -> inputColumn(fields.get(index))).collect(toImmutableList());
        PredictionPlan plan = translated(() -> PredictionPlan.create(manifest, candidateColumns, mode));

        // the processor reads the model's features from these channels of each input page
        Set<Integer> used = new TreeSet<>();
        plan.inputs().forEach(binding -> used.addAll(binding.columns()));
        List<Integer> channels = used.stream().map(candidates::get).collect(toImmutableList());

        List<ResultColumn> results = translated(() -> ResultColumns.table(plan));
        ImmutableList.Builder<Descriptor.Field> returned = ImmutableList.builder();
        for (RowType.Field field : fields) {
            returned.add(new Descriptor.Field(field.getName(), Optional.of(field.getType())));
        }
        for (ResultColumn column : results) {
            if (indexOf(fields, column.name()) >= 0) {
                throw new TrinoException(INVALID_FUNCTION_ARGUMENT, format(
                        "The input table has a column named '%s', like a result column of model %s; rename it in the input query",
                        column.name(),
                        manifest.reference()));
            }
            returned.add(new Descriptor.Field(column.name(), Optional.of(TypeMapping.toTrinoType(column.type(), typeManager))));
        }

        return TableFunctionAnalysis.builder()
                .requiredColumns(INPUT, IntStream.range(0, fields.size()).boxed().collect(toImmutableList()))
                .returnedType(new Descriptor(returned.build()))
                .handle(new PredictFunctionHandle(
                        manifest.name(),
                        manifest.version(),
                        manifest.sha256(),
                        channels,
                        channels.stream().map(index -> fields.get(index).getName().orElse("")).collect(toImmutableList()),
                        channels.stream().map(index -> fields.get(index).getType().getTypeId()).collect(toImmutableList()),
                        mode))
                .build();
    }

    /**
     * Columns of a type a model can take; the others are left for pass-through only.
     */
    private static List<Integer> typedColumns(List<RowType.Field> fields)
    {
        ImmutableList.Builder<Integer> columns = ImmutableList.builder();
        for (int index = 0; index < fields.size(); index++) {
            if (fields.get(index).getName().isPresent() && TypeMapping.toColumnType(fields.get(index).getType()).isPresent()) {
                columns.add(index);
            }
        }
        return columns.build();
    }

    private static List<Integer> listedColumns(Descriptor descriptor, List<RowType.Field> fields)
    {
        List<Integer> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Descriptor.Field field : descriptor.getFields()) {
            String name = field.getName().orElseThrow().toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                throw new TrinoException(INVALID_FUNCTION_ARGUMENT, format("Column '%s' is listed twice in features => DESCRIPTOR(...)", name));
            }
            List<Integer> matching = matches(fields, name);
            if (matching.size() > 1) {
                throw new TrinoException(INVALID_FUNCTION_ARGUMENT, format(
                        "Column '%s' in features => DESCRIPTOR(...) matches several input columns when case is ignored: %s; rename them in the input query",
                        name,
                        matching.stream().map(match -> "'" + fields.get(match).getName().orElse("") + "'").collect(joining(", "))));
            }
            int index = matching.isEmpty() ? -1 : matching.get(0);
            if (index < 0) {
                throw new TrinoException(INVALID_FUNCTION_ARGUMENT, format(
                        "Column '%s' in features => DESCRIPTOR(...) is not a column of the input table; its columns are: %s",
                        name,
                        fields.stream().map(column -> column.getName().orElse("?")).collect(joining(", "))));
            }
            Type type = fields.get(index).getType();
            if (TypeMapping.toColumnType(type).isEmpty()) {
                throw new TrinoException(INVALID_FUNCTION_ARGUMENT, format(
                        "Column '%s' has type %s, which cannot be passed to a model; cast it to double, bigint, boolean or varchar",
                        name,
                        type));
            }
            columns.add(index);
        }
        return columns;
    }

    private static int indexOf(List<RowType.Field> fields, String name)
    {
        return matches(fields, name).stream().findFirst().orElse(-1);
    }

    private static List<Integer> matches(List<RowType.Field> fields, String name)
    {
        ImmutableList.Builder<Integer> matches = ImmutableList.builder();
        for (int index = 0; index < fields.size(); index++) {
            if (fields.get(index).getName().map(fieldName -> fieldName.equalsIgnoreCase(name)).orElse(false)) {
                matches.add(index);
            }
        }
        return matches.build();
    }

    private static InputColumn inputColumn(RowType.Field field)
    {
        ColumnType type = TypeMapping.toColumnType(field.getType()).orElseThrow();
        return new InputColumn(field.getName().orElse(""), type);
    }
}
