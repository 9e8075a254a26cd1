package io.onyxml.trino.functions.evaluate;

import com.google.common.collect.ImmutableList;
import io.airlift.slice.Slice;
import io.onyxml.inference.EngineColumn;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.PinnedModel;
import io.onyxml.training.InputColumns;
import io.onyxml.training.evaluation.ModelEvaluator;
import io.onyxml.trino.OnyxModels;
import io.onyxml.trino.TypeMapping;
import io.onyxml.trino.functions.train.TrainModelTableFunction;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorAccessControl;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.function.table.AbstractConnectorTableFunction;
import io.trino.spi.function.table.Argument;
import io.trino.spi.function.table.Descriptor;
import io.trino.spi.function.table.ReturnTypeSpecification.DescribedTable;
import io.trino.spi.function.table.ScalarArgument;
import io.trino.spi.function.table.ScalarArgumentSpecification;
import io.trino.spi.function.table.TableArgument;
import io.trino.spi.function.table.TableArgumentSpecification;
import io.trino.spi.function.table.TableFunctionAnalysis;
import io.trino.spi.type.RowType;
import io.trino.spi.type.TypeManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.trino.TrinoErrors.translated;
import static io.trino.spi.StandardErrorCode.INVALID_FUNCTION_ARGUMENT;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code TABLE(evaluate(input => TABLE(t) [PARTITION BY c], model => 'name@alias' [, label => 'y']))}: one row per
 * partition with the number of rows scored and the model's metrics on them (see {@link ModelEvaluator}). The
 * features bind to the input columns by name, as in the predict table function; set semantics, so without
 * PARTITION BY the rows are scored on one node.
 */
public class EvaluateTableFunction
        extends AbstractConnectorTableFunction
{
    public static final String SCHEMA = "system";
    public static final String NAME = "evaluate";
    private static final String INPUT = "INPUT";
    private static final String MODEL = "MODEL";
    private static final String LABEL = "LABEL";

    private final OnyxModels models;
    private final TypeManager typeManager;

    public EvaluateTableFunction(OnyxModels models, TypeManager typeManager)
    {
        super(
                SCHEMA,
                NAME,
                ImmutableList.of(
                        TableArgumentSpecification.builder()
                                .name(INPUT)
                                .keepWhenEmpty()
                                .build(),
                        ScalarArgumentSpecification.builder()
                                .name(MODEL)
                                .type(VARCHAR)
                                .build(),
                        ScalarArgumentSpecification.builder()
                                .name(LABEL)
                                .type(VARCHAR)
                                .defaultValue(null)
                                .build()),
                new DescribedTable(resultDescriptor(typeManager)));
        this.models = requireNonNull(models, "models is null");
        this.typeManager = requireNonNull(typeManager, "typeManager is null");
    }

    static Descriptor resultDescriptor(TypeManager typeManager)
    {
        return new Descriptor(ImmutableList.of(
                new Descriptor.Field("rows", Optional.of(BIGINT)),
                new Descriptor.Field("metrics", Optional.of(TypeMapping.toTrinoType(ColumnType.map(ScalarType.VARCHAR, ScalarType.DOUBLE), typeManager)))));
    }

    @Override
    public TableFunctionAnalysis analyze(ConnectorSession session, ConnectorTransactionHandle transaction, Map<String, Argument> arguments, ConnectorAccessControl accessControl)
    {
        Slice reference = (Slice) ((ScalarArgument) arguments.get(MODEL)).getValue();
        if (reference == null) {
            throw new TrinoException(INVALID_FUNCTION_ARGUMENT, "evaluate needs a model: model => 'name', 'name/3' or 'name@alias'");
        }
        Optional<String> label = Optional.ofNullable((Slice) ((ScalarArgument) arguments.get(LABEL)).getValue()).map(Slice::toStringUtf8);
        TableArgument input = (TableArgument) arguments.get(INPUT);
        List<RowType.Field> fields = input.getRowType().getFields();
        List<EngineColumn> columns = TypeMapping.engineColumns(fields);
        List<Integer> partitions = translated(() -> input.getPartitionBy().stream().map(name -> InputColumns.find(columns, name, "PARTITION BY", TrainModelTableFunction.WORDING)).collect(toImmutableList()));
        Optional<Integer> labelIndex = translated(() -> label.map(name -> InputColumns.find(columns, name, "label", TrainModelTableFunction.WORDING)));
        labelIndex.ifPresent(index -> translated(() -> InputColumns.checkLabelType("evaluate", columns.get(index))));

        ModelManifest manifest = models.resolve(reference.toStringUtf8(), session);
        // fails at analysis when the model cannot be evaluated (task, outputs, label present or not)
        List<Integer> channels = translated(() -> ModelEvaluator.bind(manifest, columns, labelIndex, partitions));

        List<Integer> required = new ArrayList<>(channels);
        labelIndex.ifPresent(required::add);
        if (required.isEmpty()) {
            required.add(0);
        }
        return TableFunctionAnalysis.builder()
                .requiredColumns(INPUT, ImmutableList.copyOf(required))
                .handle(new EvaluateFunctionHandle(
                        PinnedModel.of(manifest),
                        channels.stream().map(index -> fields.get(index).getName().orElseThrow()).collect(toImmutableList()),
                        channels.stream().map(index -> fields.get(index).getType().getTypeId()).collect(toImmutableList()),
                        labelIndex.map(index -> fields.get(index).getType().getTypeId())))
                .build();
    }
}
