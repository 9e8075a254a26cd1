package io.onyxml.trino.functions.predict;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.PredictionPlan;
import io.onyxml.inference.Predictor;
import io.onyxml.inference.ResultColumn;
import io.onyxml.inference.ResultColumns;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.store.OnyxException;
import io.onyxml.trino.BlockColumns;
import io.onyxml.trino.TrinoErrors;
import io.trino.spi.Page;
import io.trino.spi.block.Block;
import io.trino.spi.function.table.TableFunctionDataProcessor;
import io.trino.spi.function.table.TableFunctionProcessorState;
import io.trino.spi.type.Type;

import java.util.List;
import java.util.Optional;

import static io.trino.spi.function.table.TableFunctionProcessorState.Finished.FINISHED;
import static io.trino.spi.function.table.TableFunctionProcessorState.Processed.usedInputAndProduced;
import static java.util.Objects.requireNonNull;

/**
 * Scores each page it is given with one call of the inference core and returns the page's own columns followed by the
 * result columns.
 */
final class PredictDataProcessor
        implements TableFunctionDataProcessor
{
    private final PredictionPlan plan;
    private final Predictor predictor;
    private final List<Integer> channels;
    private final List<Type> inputTypes;
    private final List<ResultColumn> results;
    private final List<Type> resultTypes;

    PredictDataProcessor(PredictionPlan plan, Predictor predictor, List<Integer> channels, List<Type> inputTypes, List<ResultColumn> results, List<Type> resultTypes)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.predictor = requireNonNull(predictor, "predictor is null");
        this.channels = ImmutableList.copyOf(channels);
        this.inputTypes = ImmutableList.copyOf(inputTypes);
        this.results = ImmutableList.copyOf(results);
        this.resultTypes = ImmutableList.copyOf(resultTypes);
    }

    @Override
    public TableFunctionProcessorState process(List<Optional<Page>> input)
    {
        if (input == null) {
            return FINISHED;
        }
        Page page = input.get(0).orElseThrow();
        int rows = page.getPositionCount();
        try {
            ColumnBatch.Builder batch = ColumnBatch.builder(rows);
            for (int column = 0; column < channels.size(); column++) {
                batch.add(plan.inputColumns().get(column).name(), BlockColumns.toColumn(inputTypes.get(column), page.getBlock(channels.get(column))));
            }
            ColumnBatch projected = ResultColumns.project(plan, results, predictor.predict(batch.build()));
            Block[] blocks = new Block[page.getChannelCount() + results.size()];
            for (int channel = 0; channel < page.getChannelCount(); channel++) {
                blocks[channel] = page.getBlock(channel);
            }
            for (int column = 0; column < results.size(); column++) {
                blocks[page.getChannelCount() + column] = BlockColumns.toBlock(resultTypes.get(column), projected.column(column));
            }
            return usedInputAndProduced(new Page(rows, blocks));
        }
        catch (OnyxException e) {
            throw TrinoErrors.toTrinoException(e);
        }
    }
}
