package io.onyxml.trino.functions.predict;

import com.google.common.collect.ImmutableList;
import io.airlift.slice.Slice;
import io.onyxml.inference.EngineColumn;
import io.onyxml.inference.ResultColumn;
import io.onyxml.inference.TableCall;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.PinnedModel;
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
import io.trino.spi.type.TypeManager;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.trino.TrinoErrors.translated;
import static io.trino.spi.StandardErrorCode.INVALID_FUNCTION_ARGUMENT;
import static io.trino.spi.function.table.ReturnTypeSpecification.GenericTable.GENERIC_TABLE;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

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
        List<EngineColumn> columns = TypeMapping.engineColumns(fields);
        Optional<List<String>> listed = features.map(descriptor -> descriptor.getFields().stream().map(field -> field.getName().orElseThrow()).collect(toImmutableList()));
        TableCall call = translated(() -> TableCall.bind(manifest, columns, listed));

        ImmutableList.Builder<Descriptor.Field> returned = ImmutableList.builder();
        for (RowType.Field field : fields) {
            returned.add(new Descriptor.Field(field.getName(), Optional.of(field.getType())));
        }
        for (ResultColumn column : call.results()) {
            returned.add(new Descriptor.Field(column.name(), Optional.of(TypeMapping.toTrinoType(column.type(), typeManager))));
        }
        List<Integer> channels = call.channels();
        return TableFunctionAnalysis.builder()
                .requiredColumns(INPUT, IntStream.range(0, fields.size()).boxed().collect(toImmutableList()))
                .returnedType(new Descriptor(returned.build()))
                .handle(new PredictFunctionHandle(
                        PinnedModel.of(manifest),
                        channels,
                        channels.stream().map(index -> fields.get(index).getName().orElse("")).collect(toImmutableList()),
                        channels.stream().map(index -> fields.get(index).getType().getTypeId()).collect(toImmutableList()),
                        call.mode()))
                .build();
    }
}
