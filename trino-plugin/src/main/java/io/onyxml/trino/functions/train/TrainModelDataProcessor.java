package io.onyxml.trino.functions.train;

import com.google.common.base.Ticker;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.airlift.log.Logger;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.OnyxException;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.access.ModelAccess;
import io.onyxml.training.Algorithm;
import io.onyxml.training.PartitionModelNames;
import io.onyxml.training.TrainedModel;
import io.onyxml.training.TrainedModelRegistration;
import io.onyxml.training.TrainingLimits;
import io.onyxml.training.TrainingOptions;
import io.onyxml.training.TrainingRun;
import io.onyxml.training.TrainingSlot;
import io.onyxml.training.TrainingSlots;
import io.onyxml.training.data.ClassLabels;
import io.onyxml.training.data.LabelRole;
import io.onyxml.training.data.TrainingColumn;
import io.onyxml.training.data.TrainingTableBuilder;
import io.onyxml.trino.BlockColumns;
import io.onyxml.trino.OnyxModels;
import io.onyxml.trino.TrinoErrors;
import io.onyxml.trino.TypeMapping;
import io.trino.spi.Page;
import io.trino.spi.PageBuilder;
import io.trino.spi.block.ArrayBlockBuilder;
import io.trino.spi.block.BlockBuilder;
import io.trino.spi.block.MapBlockBuilder;
import io.trino.spi.function.table.TableFunctionDataProcessor;
import io.trino.spi.function.table.TableFunctionProcessorState;
import io.trino.spi.type.Type;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.airlift.slice.Slices.utf8Slice;
import static io.onyxml.store.access.ModelPrivilege.CREATE;
import static io.trino.spi.function.table.TableFunctionProcessorState.Blocked.blocked;
import static io.trino.spi.function.table.TableFunctionProcessorState.Finished.FINISHED;
import static io.trino.spi.function.table.TableFunctionProcessorState.Processed.produced;
import static io.trino.spi.function.table.TableFunctionProcessorState.Processed.usedInput;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * Trains the model of one partition: collects its pages into a {@link TrainingTableBuilder}, takes a training slot
 * (yielding the driver while none is free), then advances the {@link TrainingRun} one pass per call, answering
 * "blocked" with a completed future in between so that the driver regains control (a cancelled query stops calling,
 * nothing is written, and its untouched slot is taken back), and finally registers the version, returns the slot and
 * returns its row.
 */
final class TrainModelDataProcessor
        implements TableFunctionDataProcessor
{
    private static final Logger log = Logger.get(TrainModelDataProcessor.class);
    private static final long SLOT_POLL_MILLIS = 500;

    private final OnyxModels models;
    private final ModelAccess access;
    private final TrainModelFunctionHandle handle;
    private final List<Type> featureTypes;
    private final Optional<Type> labelType;
    private final List<Type> partitionTypes;
    private final List<Type> resultTypes;
    private final Algorithm algorithm;
    private final TrainingOptions options;
    private final TrainingLimits limits;
    private final TrainingTableBuilder builder;
    private final TrainingSlots slots;
    private String modelName;
    private TrainingSlot slot;
    private long slotWaitStart = -1;
    private TrainingRun run;
    private boolean finished;
    private long readNanos;

    TrainModelDataProcessor(OnyxModels models, ModelAccess access, TrainModelFunctionHandle handle, List<Type> featureTypes, Optional<Type> labelType, List<Type> partitionTypes, List<Type> resultTypes, TrainingLimits limits)
    {
        this.models = requireNonNull(models, "models is null");
        this.access = requireNonNull(access, "access is null");
        this.slots = models.trainingSlots();
        this.handle = requireNonNull(handle, "handle is null");
        this.featureTypes = ImmutableList.copyOf(featureTypes);
        this.labelType = requireNonNull(labelType, "labelType is null");
        this.partitionTypes = ImmutableList.copyOf(partitionTypes);
        this.resultTypes = ImmutableList.copyOf(resultTypes);
        this.limits = requireNonNull(limits, "limits is null");
        this.algorithm = Algorithm.fromName(handle.algorithm());
        this.options = TrainingOptions.parse(algorithm, handle.options());
        this.modelName = handle.model();
        List<TrainingColumn> features = new ArrayList<>();
        for (int i = 0; i < featureTypes.size(); i++) {
            features.add(new TrainingColumn(handle.featureNames().get(i), scalar(featureTypes.get(i))));
        }
        Optional<TrainingColumn> label = labelType.map(type -> new TrainingColumn(handle.labelName().orElseThrow(), scalar(type)));
        LabelRole role = label.map(column -> LabelRole.of(algorithm, column)).orElse(LabelRole.NONE);
        this.builder = new TrainingTableBuilder(handle.model(), features, label, role, limits);
    }

    @Override
    public TableFunctionProcessorState process(List<Optional<Page>> input)
    {
        try {
            if (finished) {
                return FINISHED;
            }
            if (input != null) {
                long start = System.nanoTime();
                append(input.get(0).orElseThrow());
                readNanos += System.nanoTime() - start;
                return usedInput();
            }
            if (run == null) {
                // the model's name is known now (a partition's name comes with its rows): check before training
                access.check(modelName, CREATE);
                if (slot == null) {
                    Optional<TrainingSlot> free = slots.tryAcquire(modelName, "query " + handle.queryId());
                    if (free.isEmpty()) {
                        return waitForSlot();
                    }
                    slot = free.get();
                }
                run = new TrainingRun(modelName, options, builder.build(), limits, Ticker.systemTicker());
                return blocked(CompletableFuture.completedFuture(null));
            }
            // a cancelled query stops calling: a slot left untouched is taken back
            slot.touch();
            if (run.advance()) {
                return blocked(CompletableFuture.completedFuture(null));
            }
            finished = true;
            TrainedModel model = run.result();
            slot.checkHeld();
            ModelManifest manifest = register(model);
            slot.close();
            return produced(result(manifest, model));
        }
        catch (OnyxException e) {
            releaseSlot();
            throw TrinoErrors.toTrinoException(e);
        }
        catch (RuntimeException | Error e) {
            releaseSlot();
            throw e;
        }
    }

    /**
     * Every training slot is taken: yields the driver for a while, and fails once the training waited too long.
     */
    private TableFunctionProcessorState waitForSlot()
    {
        long now = System.nanoTime();
        if (slotWaitStart < 0) {
            slotWaitStart = now;
        }
        Duration waited = Duration.ofNanos(now - slotWaitStart);
        if (waited.compareTo(slots.maxWait()) >= 0) {
            throw slots.waitedTooLong(modelName, waited);
        }
        return blocked(CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(SLOT_POLL_MILLIS, MILLISECONDS)));
    }

    private void releaseSlot()
    {
        if (slot != null) {
            slot.close();
        }
    }

    private void append(Page page)
    {
        int features = featureTypes.size();
        if (builder.rows() == 0 && !partitionTypes.isEmpty() && page.getPositionCount() > 0) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < partitionTypes.size(); i++) {
                Column column = BlockColumns.toColumn(partitionTypes.get(i), page.getBlock(features + labelType.map(type -> 1).orElse(0) + i).getRegion(0, 1));
                values.add(ClassLabels.of(column.value(0)));
            }
            modelName = PartitionModelNames.name(handle.model(), handle.partitionNames(), values);
        }
        ImmutableList.Builder<Column> columns = ImmutableList.builder();
        for (int i = 0; i < features; i++) {
            columns.add(BlockColumns.toColumn(featureTypes.get(i), page.getBlock(i)));
        }
        Optional<Column> label = labelType.map(type -> BlockColumns.toColumn(type, page.getBlock(features)));
        builder.append(columns.build(), label);
    }

    private ModelManifest register(TrainedModel model)
    {
        RegisterOptions options = TrainedModelRegistration.options(
                model,
                this.options,
                handle.labelName(),
                featureTypes.stream().map(Type::getDisplayName).collect(toImmutableList()),
                ImmutableMap.of("query_id", handle.queryId()))
                .withRegisteredBy(handle.user());
        long start = System.nanoTime();
        ModelManifest manifest = models.register(modelName, ModelSource.of(model.onnx()), options);
        log.info("Query %s trained %s with %s on %s rows: %.3fs collecting its pages, %.3fs training, %.3fs registering",
                handle.queryId(),
                manifest.reference(),
                algorithm.algorithmName(),
                model.trainingRows(),
                readNanos / 1e9,
                seconds(model.trainingTime()),
                (System.nanoTime() - start) / 1e9);
        return manifest;
    }

    private Page result(ModelManifest manifest, TrainedModel model)
    {
        PageBuilder page = new PageBuilder(resultTypes);
        page.declarePosition();
        VARCHAR.writeSlice(page.getBlockBuilder(0), utf8Slice(manifest.reference().toString()));
        VARCHAR.writeSlice(page.getBlockBuilder(1), utf8Slice(algorithm.algorithmName()));
        BIGINT.writeLong(page.getBlockBuilder(2), model.trainingRows());
        ((ArrayBlockBuilder) page.getBlockBuilder(3)).buildEntry(elements -> model.featureNames().forEach(name -> VARCHAR.writeSlice(elements, utf8Slice(name))));
        DOUBLE.writeDouble(page.getBlockBuilder(4), seconds(model.trainingTime()));
        writeMetrics(page.getBlockBuilder(5), model.metrics());
        if (model.testMetrics().isPresent()) {
            writeMetrics(page.getBlockBuilder(6), model.testMetrics().get());
        }
        else {
            page.getBlockBuilder(6).appendNull();
        }
        if (model.clusterSizes().isPresent()) {
            ((ArrayBlockBuilder) page.getBlockBuilder(7)).buildEntry(elements -> model.clusterSizes().get().forEach(size -> BIGINT.writeLong(elements, size)));
        }
        else {
            page.getBlockBuilder(7).appendNull();
        }
        ((ArrayBlockBuilder) page.getBlockBuilder(8)).buildEntry(elements -> model.warnings().forEach(warning -> VARCHAR.writeSlice(elements, utf8Slice(warning))));
        return page.build();
    }

    private static void writeMetrics(BlockBuilder builder, Map<String, Double> metrics)
    {
        ((MapBlockBuilder) builder).buildEntry((keys, values) -> metrics.forEach((name, value) -> {
            VARCHAR.writeSlice(keys, utf8Slice(name));
            DOUBLE.writeDouble(values, value);
        }));
    }

    private static double seconds(Duration duration)
    {
        return duration.toNanos() / 1e9;
    }

    private static ScalarType scalar(Type type)
    {
        return (ScalarType) TypeMapping.toColumnType(type).orElseThrow();
    }
}
