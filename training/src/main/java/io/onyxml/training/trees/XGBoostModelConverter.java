package io.onyxml.training.trees;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.onyxml.store.ConvertedModel;
import io.onyxml.store.ModelConverter;
import io.onyxml.store.ModelTask;
import io.onyxml.store.OnyxException;
import io.onyxml.store.RegisterOptions;
import io.onyxml.training.onnx.TreeEnsembleGraph;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_FILE;
import static java.lang.String.format;

/**
 * Registers XGBoost models: a file whose first non-blank byte is '{' is XGBoost's JSON model (read by Onyx's own
 * parser) or its UBJSON model (read by XGBoost4J and written back as JSON), never ONNX, whose protobuf cannot start
 * that way. The converted graph takes one float input {@code features [N, F]}, with the file's feature names (or
 * XGBoost's defaults {@code f0, f1, ...}); classifiers get the classes {@code 0 .. K-1} unless the caller names them,
 * and the graph's label output is the class label itself.
 */
public final class XGBoostModelConverter
        implements ModelConverter
{
    @Override
    public Optional<ConvertedModel> convert(ByteBuffer bytes, String what, RegisterOptions options)
    {
        int start = bytes.position();
        while (start < bytes.limit() && Character.isWhitespace(bytes.get(start))) {
            start++;
        }
        if (start >= bytes.limit() || bytes.get(start) != '{') {
            return Optional.empty();
        }
        byte next = start + 1 < bytes.limit() ? bytes.get(start + 1) : 0;
        boolean ubjson = "iUIlL$#".indexOf(next) >= 0;
        byte[] content = new byte[bytes.remaining()];
        bytes.duplicate().get(content);
        byte[] json = ubjson ? ubjsonToJson(content, what) : content;
        XGBoostJson.Parsed parsed = XGBoostJson.parse(json, what);
        TreeEnsemble ensemble = parsed.ensemble();
        List<String> featureNames = parsed.featureNames().isEmpty()
                ? IntStream.range(0, ensemble.features()).mapToObj(index -> "f" + index).collect(toImmutableList())
                : parsed.featureNames();
        ModelTask task = ensemble.objective().task();
        int classCount = Math.max(2, ensemble.outputs());
        List<String> classes = ImmutableList.of();
        if (task == ModelTask.CLASSIFICATION) {
            // the caller's labels go into the graph, so its label output is the label itself
            classes = options.classLabels().orElseGet(() -> IntStream.range(0, classCount).mapToObj(Integer::toString).collect(toImmutableList()));
            if (classes.size() != classCount) {
                throw new OnyxException(INVALID_ARGUMENT, format("%s is a classifier of %s classes, but class_labels names %s", what, classCount, classes.size()));
            }
        }
        byte[] onnx = TreeEnsembleGraph.export("xgboost", ensemble, featureNames, classes);
        return Optional.of(new ConvertedModel(
                onnx,
                ubjson ? "xgboost-ubjson" : "xgboost-json",
                task,
                classes,
                true,
                ImmutableMap.of(
                        "xgboost_objective", parsed.objectiveName(),
                        "trees", Integer.toString(ensemble.trees().size()),
                        "rounds", Integer.toString(parsed.rounds()))));
    }

    private static byte[] ubjsonToJson(byte[] content, String what)
    {
        Booster booster = null;
        try {
            booster = XGBoost.loadModel(content);
            return booster.toByteArray("json");
        }
        catch (XGBoostError | IOException e) {
            throw new OnyxException(INVALID_MODEL_FILE, format("%s looks like an XGBoost UBJSON model, but XGBoost cannot read it: %s", what, XGBoostJson.firstLine(e.getMessage())), e);
        }
        finally {
            if (booster != null) {
                booster.dispose();
            }
        }
    }
}
