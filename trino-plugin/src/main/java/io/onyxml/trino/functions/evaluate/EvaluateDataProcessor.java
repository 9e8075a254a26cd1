package io.onyxml.trino.functions.evaluate;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.PredictionPlan;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.store.OnyxException;
import io.onyxml.training.evaluation.ModelEvaluator;
import io.onyxml.trino.BlockColumns;
import io.onyxml.trino.TrinoErrors;
import io.trino.spi.Page;
import io.trino.spi.PageBuilder;
import io.trino.spi.block.MapBlockBuilder;
import io.trino.spi.function.table.TableFunctionDataProcessor;
import io.trino.spi.function.table.TableFunctionProcessorState;
import io.trino.spi.type.Type;

import java.util.List;
import java.util.Optional;

import static io.airlift.slice.Slices.utf8Slice;
import static io.trino.spi.function.table.TableFunctionProcessorState.Finished.FINISHED;
import static io.trino.spi.function.table.TableFunctionProcessorState.Processed.produced;
import static io.trino.spi.function.table.TableFunctionProcessorState.Processed.usedInput;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * Scores each page of a partition and counts it against the label; returns one row when the partition ends.
 */
final class EvaluateDataProcessor
        implements TableFunctionDataProcessor
{
    private final PredictionPlan plan;
    private final ModelEvaluator evaluator;
    private final List<Type> featureTypes;
    private final Optional<Type> labelType;
    private final List<Type> resultTypes;
    private boolean finished;

    EvaluateDataProcessor(PredictionPlan plan, ModelEvaluator evaluator, List<Type> featureTypes, Optional<Type> labelType, List<Type> resultTypes)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.evaluator = requireNonNull(evaluator, "evaluator is null");
        this.featureTypes = ImmutableList.copyOf(featureTypes);
        this.labelType = requireNonNull(labelType, "labelType is null");
        this.resultTypes = ImmutableList.copyOf(resultTypes);
    }

    @Override
    public TableFunctionProcessorState process(List<Optional<Page>> input)
    {
        if (finished) {
            return FINISHED;
        }
        try {
            if (input != null) {
                Page page = input.get(0).orElseThrow();
                ColumnBatch.Builder batch = ColumnBatch.builder(page.getPositionCount());
                for (int column = 0; column < featureTypes.size(); column++) {
                    batch.add(plan.inputColumns().get(column).name(), BlockColumns.toColumn(featureTypes.get(column), page.getBlock(column)));
                }
                Optional<Column> label = labelType.map(type -> BlockColumns.toColumn(type, page.getBlock(featureTypes.size())));
                evaluator.add(batch.build(), label);
                return usedInput();
            }
            finished = true;
            PageBuilder result = new PageBuilder(resultTypes);
            result.declarePosition();
            BIGINT.writeLong(result.getBlockBuilder(0), evaluator.rows());
            ((MapBlockBuilder) result.getBlockBuilder(1)).buildEntry((keys, values) -> evaluator.metrics().forEach((name, value) -> {
                VARCHAR.writeSlice(keys, utf8Slice(name));
                DOUBLE.writeDouble(values, value);
            }));
            return produced(result.build());
        }
        catch (OnyxException e) {
            throw TrinoErrors.toTrinoException(e);
        }
    }
}
