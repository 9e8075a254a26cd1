package io.onyxml.training.kmeans;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.onyxml.store.ModelTask;
import io.onyxml.training.FittedModel;
import io.onyxml.training.data.TrainingTable;
import io.onyxml.training.encoding.FeatureEncoder;
import io.onyxml.training.metrics.ClusteringMetrics;
import io.onyxml.training.onnx.KMeansGraph;

import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Fitted k-means centres over the encoded features.
 */
public final class FittedKMeans
        implements FittedModel, Serializable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final FeatureEncoder encoder;
    private final double[][] centres;
    private final List<String> warnings;
    private transient List<Long> sizes;

    FittedKMeans(String name, FeatureEncoder encoder, double[][] centres, List<String> warnings)
    {
        this.name = requireNonNull(name, "name is null");
        this.encoder = requireNonNull(encoder, "encoder is null");
        this.centres = requireNonNull(centres, "centres is null");
        this.warnings = ImmutableList.copyOf(warnings);
    }

    public double[][] centres()
    {
        return centres;
    }

    /**
     * The cluster of an encoded row (the first on a tie); its squared distance to the centre goes to
     * {@code squaredDistance[0]}.
     */
    public int nearest(double[] encoded, double[] squaredDistance)
    {
        return Centres.nearest(encoded, centres, squaredDistance);
    }

    @Override
    public ModelTask task()
    {
        return ModelTask.CLUSTERING;
    }

    @Override
    public FeatureEncoder encoder()
    {
        return encoder;
    }

    @Override
    public List<String> classLabels()
    {
        return ImmutableList.of();
    }

    @Override
    public Map<String, Double> metrics(TrainingTable table, int[] rows)
    {
        ClusteringMetrics metrics = new ClusteringMetrics(centres.length);
        double[] encoded = new double[encoder.width()];
        double[] distance = new double[1];
        for (int row : rows) {
            encoder.encode(table, row, encoded);
            metrics.add(nearest(encoded, distance), distance[0]);
        }
        if (sizes == null) {
            sizes = metrics.clusterSizes();
        }
        return metrics.metrics();
    }

    @Override
    public Optional<List<Long>> clusterSizes()
    {
        return Optional.ofNullable(sizes);
    }

    @Override
    public byte[] onnx()
    {
        return KMeansGraph.export(name, encoder, centres);
    }

    @Override
    public Map<String, String> description()
    {
        try {
            return ImmutableMap.of("centres", JSON.writeValueAsString(ImmutableMap.of("slots", encoder.slotNames(), "centres", centres)));
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> warnings()
    {
        return warnings;
    }
}
