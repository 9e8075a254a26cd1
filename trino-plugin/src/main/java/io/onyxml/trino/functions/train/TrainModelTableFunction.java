package io.onyxml.trino.functions.train;

import com.google.common.collect.ImmutableList;
import io.airlift.slice.Slice;
import io.onyxml.inference.EngineColumn;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.store.ModelNames;
import io.onyxml.training.Algorithm;
import io.onyxml.training.InputWording;
import io.onyxml.training.TrainingInput;
import io.onyxml.training.TrainingLimits;
import io.onyxml.training.TrainingOptions;
import io.onyxml.trino.OnyxModels;
import io.onyxml.trino.OnyxSessionProperties;
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
import io.trino.spi.function.table.ReturnTypeSpecification.DescribedTable;
import io.trino.spi.function.table.ScalarArgument;
import io.trino.spi.function.table.ScalarArgumentSpecification;
import io.trino.spi.function.table.TableArgument;
import io.trino.spi.function.table.TableArgumentSpecification;
import io.trino.spi.function.table.TableFunctionAnalysis;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.RowType;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.access.ModelPrivilege.CREATE;
import static io.onyxml.trino.TrinoErrors.translated;
import static io.trino.spi.StandardErrorCode.INVALID_FUNCTION_ARGUMENT;
import static io.trino.spi.StandardErrorCode.PERMISSION_DENIED;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * {@code TABLE(train_model(input => TABLE(t) [PARTITION BY c], model => 'name', label => 'y', algorithm => '...',
 * options => 'k=v, ...' [, features => DESCRIPTOR(a, b)]))}: trains one model per partition (set semantics: without
 * PARTITION BY all rows go to one node), registers each as a new version, and returns one row per model. The
 * arguments are checked here, at analysis, so a wrong column or option fails before any row is read.
 */
public class TrainModelTableFunction
        extends AbstractConnectorTableFunction
{
    public static final String SCHEMA = "system";
    public static final String NAME = "train_model";
    private static final String INPUT = "INPUT";
    private static final String MODEL = "MODEL";
    private static final String LABEL = "LABEL";
    private static final String ALGORITHM = "ALGORITHM";
    private static final String OPTIONS = "OPTIONS";
    private static final String FEATURES = "FEATURES";

    /**
     * How the core's input rules speak to SQL users.
     */
    public static final InputWording WORDING = new InputWording(
            "input table",
            "in the input query",
            "features => DESCRIPTOR(...)",
            "cast it in the input query, or name the features with features => DESCRIPTOR(...)",
            "label => '%s'");

    private final String catalog;
    private final boolean enabled;
    private final OnyxModels models;

    public TrainModelTableFunction(String catalog, boolean enabled, TypeManager typeManager, OnyxModels models)
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
                                .build(),
                        ScalarArgumentSpecification.builder()
                                .name(ALGORITHM)
                                .type(VARCHAR)
                                .build(),
                        ScalarArgumentSpecification.builder()
                                .name(OPTIONS)
                                .type(VARCHAR)
                                .defaultValue(null)
                                .build(),
                        DescriptorArgumentSpecification.builder()
                                .name(FEATURES)
                                .defaultValue(null)
                                .build()),
                new DescribedTable(resultDescriptor(typeManager)));
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.enabled = enabled;
        this.models = requireNonNull(models, "models is null");
    }

    static Descriptor resultDescriptor(TypeManager typeManager)
    {
        Type metrics = TypeMapping.toTrinoType(ColumnType.map(ScalarType.VARCHAR, ScalarType.DOUBLE), typeManager);
        return new Descriptor(ImmutableList.of(
                new Descriptor.Field("model", Optional.of(VARCHAR)),
                new Descriptor.Field("algorithm", Optional.of(VARCHAR)),
                new Descriptor.Field("training_rows", Optional.of(BIGINT)),
                new Descriptor.Field("features", Optional.of(new ArrayType(VARCHAR))),
                new Descriptor.Field("training_seconds", Optional.of(DOUBLE)),
                new Descriptor.Field("metrics", Optional.of(metrics)),
                new Descriptor.Field("test_metrics", Optional.of(metrics)),
                new Descriptor.Field("cluster_sizes", Optional.of(new ArrayType(BIGINT))),
                new Descriptor.Field("warnings", Optional.of(new ArrayType(VARCHAR)))));
    }

    @Override
    public TableFunctionAnalysis analyze(ConnectorSession session, ConnectorTransactionHandle transaction, Map<String, Argument> arguments, ConnectorAccessControl accessControl)
    {
        if (!enabled) {
            throw new TrinoException(PERMISSION_DENIED, format("train_model is disabled in catalog %s (onyx.training.enabled=false)", catalog));
        }
        String model = text(arguments, MODEL).orElseThrow(() -> new TrinoException(INVALID_FUNCTION_ARGUMENT, "train_model needs a model name: model => 'house_prices'"));
        translated(() -> ModelNames.checkModelName(model));
        if (model.contains("=")) {
            throw new TrinoException(INVALID_FUNCTION_ARGUMENT, format("Model name '%s' contains '=', which only the names of models trained per partition contain (<model>__<column>=<value>)", model));
        }
        String algorithmName = text(arguments, ALGORITHM).orElseThrow(() -> new TrinoException(INVALID_FUNCTION_ARGUMENT, "train_model needs an algorithm: algorithm => 'linear_regression', 'logistic_regression', 'gradient_boosted_trees' or 'kmeans'"));
        Algorithm algorithm = translated(() -> Algorithm.fromName(algorithmName));
        String options = text(arguments, OPTIONS).orElse("");
        translated(() -> TrainingOptions.parse(algorithm, options));
        Optional<String> label = text(arguments, LABEL);

        TableArgument input = (TableArgument) arguments.get(INPUT);
        if (input.getPartitionBy().isEmpty()) {
            // a model per partition is checked under its own name where it trains
            models.check(session, model, CREATE);
        }
        List<RowType.Field> fields = input.getRowType().getFields();
        Optional<List<String>> listed = ((DescriptorArgument) arguments.get(FEATURES)).getDescriptor()
                .map(descriptor -> descriptor.getFields().stream().map(field -> field.getName().orElseThrow()).collect(toImmutableList()));
        TrainingLimits limits = OnyxSessionProperties.trainingLimits(session, catalog);
        List<EngineColumn> columns = TypeMapping.engineColumns(fields);
        TrainingInput bound = translated(() -> TrainingInput.bind(model, algorithm, columns, label, listed, input.getPartitionBy(), limits, WORDING));

        List<Integer> required = new ArrayList<>(bound.features());
        bound.label().ifPresent(required::add);
        required.addAll(bound.partitions());
        return TableFunctionAnalysis.builder()
                .requiredColumns(INPUT, ImmutableList.copyOf(required))
                .handle(new TrainModelFunctionHandle(
                        model,
                        algorithm.algorithmName(),
                        options,
                        bound.features().stream().map(index -> columns.get(index).name()).collect(toImmutableList()),
                        bound.features().stream().map(index -> fields.get(index).getType().getTypeId()).collect(toImmutableList()),
                        bound.label().map(index -> columns.get(index).name()),
                        bound.label().map(index -> fields.get(index).getType().getTypeId()),
                        bound.partitions().stream().map(index -> columns.get(index).name()).collect(toImmutableList()),
                        bound.partitions().stream().map(index -> fields.get(index).getType().getTypeId()).collect(toImmutableList()),
                        catalog,
                        session.getQueryId(),
                        session.getUser()))
                .build();
    }

    private static Optional<String> text(Map<String, Argument> arguments, String name)
    {
        Object value = ((ScalarArgument) arguments.get(name)).getValue();
        return Optional.ofNullable((Slice) value).map(Slice::toStringUtf8);
    }
}
