package io.onyxml.trino.functions.predict;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.PredictionPlan;
import io.onyxml.inference.Predictor;
import io.onyxml.inference.ResultColumn;
import io.onyxml.inference.ResultColumns;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.Columns;
import io.onyxml.store.OnyxException;
import io.onyxml.trino.BlockColumns;
import io.onyxml.trino.TrinoErrors;
import io.trino.spi.Page;
import io.trino.spi.block.Block;
import io.trino.spi.function.table.TableFunctionDataProcessor;
import io.trino.spi.function.table.TableFunctionProcessorState;
import io.trino.spi.type.Type;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import static io.trino.spi.function.table.TableFunctionProcessorState.Finished.FINISHED;
import static io.trino.spi.function.table.TableFunctionProcessorState.Processed.produced;
import static io.trino.spi.function.table.TableFunctionProcessorState.Processed.usedInput;
import static io.trino.spi.function.table.TableFunctionProcessorState.Processed.usedInputAndProduced;
import static java.util.Objects.requireNonNull;

/**
 * Scores the rows it is given in calls of the inference core of about the batch size that suits the device
 * ({@link Predictor#batchRows}): pages smaller than a batch are held until together they fill one, a page larger
 * than a batch is scored a batch at a time. Each output page is an input page (or a part of one), its own columns
 * followed by the result columns.
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
    private final int configuredBatchRows;
    private final List<Page> pending = new ArrayList<>();
    private final Deque<Page> scored = new ArrayDeque<>();
    private int pendingRows;
    private int batchRows;

    /**
     * @param configuredBatchRows rows per call of the model, or 0 for the device's default
     */
    PredictDataProcessor(PredictionPlan plan, Predictor predictor, List<Integer> channels, List<Type> inputTypes, List<ResultColumn> results, List<Type> resultTypes, int configuredBatchRows)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.predictor = requireNonNull(predictor, "predictor is null");
        this.channels = ImmutableList.copyOf(channels);
        this.inputTypes = ImmutableList.copyOf(inputTypes);
        this.results = ImmutableList.copyOf(results);
        this.resultTypes = ImmutableList.copyOf(resultTypes);
        this.configuredBatchRows = configuredBatchRows;
    }

    @Override
    public TableFunctionProcessorState process(List<Optional<Page>> input)
    {
        try {
            if (!scored.isEmpty()) {
                // the operator offers the same input again until a result says it was used
                return produced(scored.poll());
            }
            if (input == null) {
                if (pending.isEmpty()) {
                    return FINISHED;
                }
                scorePending();
                return produced(scored.poll());
            }
            Page page = input.get(0).orElseThrow();
            if (batchRows == 0) {
                batchRows = predictor.batchRows(configuredBatchRows);
            }
            if (!pending.isEmpty() && pendingRows + page.getPositionCount() > batchRows) {
                scorePending();
                return produced(scored.poll());
            }
            pending.add(page);
            pendingRows += page.getPositionCount();
            if (pendingRows < batchRows) {
                return usedInput();
            }
            scorePending();
            return usedInputAndProduced(scored.poll());
        }
        catch (OnyxException e) {
            throw TrinoErrors.toTrinoException(e);
        }
    }

    /**
     * Scores the held pages: one batch of them all, or a page larger than a batch a batch at a time.
     */
    private void scorePending()
    {
        if (pending.size() == 1 && pendingRows > batchRows) {
            Page page = pending.get(0);
            for (int start = 0; start < page.getPositionCount(); start += batchRows) {
                score(List.of(page.getRegion(start, Math.min(batchRows, page.getPositionCount() - start))));
            }
        }
        else {
            score(pending);
        }
        pending.clear();
        pendingRows = 0;
    }

    private void score(List<Page> pages)
    {
        int rows = pages.stream().mapToInt(Page::getPositionCount).sum();
        ColumnBatch.Builder batch = ColumnBatch.builder(rows);
        for (int column = 0; column < channels.size(); column++) {
            List<Column> parts = new ArrayList<>();
            for (Page page : pages) {
                parts.add(BlockColumns.toColumn(inputTypes.get(column), page.getBlock(channels.get(column))));
            }
            batch.add(plan.inputColumns().get(column).name(), Columns.concat(parts));
        }
        ColumnBatch projected = ResultColumns.project(plan, results, predictor.predict(batch.build()));
        Block[] resultBlocks = new Block[results.size()];
        for (int column = 0; column < results.size(); column++) {
            resultBlocks[column] = BlockColumns.toBlock(resultTypes.get(column), projected.column(column));
        }
        int offset = 0;
        for (Page page : pages) {
            Block[] blocks = new Block[page.getChannelCount() + results.size()];
            for (int channel = 0; channel < page.getChannelCount(); channel++) {
                blocks[channel] = page.getBlock(channel);
            }
            for (int column = 0; column < results.size(); column++) {
                blocks[page.getChannelCount() + column] = pages.size() == 1 ? resultBlocks[column] : resultBlocks[column].getRegion(offset, page.getPositionCount());
            }
            scored.add(new Page(page.getPositionCount(), blocks));
            offset += page.getPositionCount();
        }
    }
}
