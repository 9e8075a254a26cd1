package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ai.onnx.ml.ZipMap}: the float scores [N, C] seen as one map per row from the C class labels to the scores.
 * No step: the map's values are the input's.
 */
final class ZipMapCompiler
{
    private ZipMapCompiler() {}

    static Step compile(NodeContext node)
    {
        Value input = MlChecks.input(node, Set.of(ElementType.FLOAT));
        int classes = MlChecks.featureCount(node, input);
        long[] longLabels = node.intsAttribute("classlabels_int64s");
        String[] stringLabels = node.stringsAttribute("classlabels_strings");
        if ((longLabels.length == 0) == (stringLabels.length == 0)) {
            throw node.unsupported("not exactly one of classlabels_int64s and classlabels_strings");
        }
        List<Object> keys = new ArrayList<>();
        for (long label : longLabels) {
            keys.add(label);
        }
        keys.addAll(List.of(stringLabels));
        if (keys.size() != classes) {
            throw node.unsupported(keys.size() + " class labels for " + classes + " scores");
        }
        // in ONNX Runtime's map a repeated label keeps its last score: refused rather than copied
        if (new HashSet<>(keys).size() != keys.size()) {
            throw node.unsupported("repeated class labels");
        }
        node.mapOutput(0, input, keys);
        return null;
    }
}
