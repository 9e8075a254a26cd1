package io.onyxml.training.trees;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.common.collect.ImmutableList;
import io.onyxml.store.ModelFeatures;
import io.onyxml.store.OnyxException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_FILE;
import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static java.lang.String.format;

/**
 * Reads the JSON model format of XGBoost (1.0 and later; {@code Booster.toByteArray("json")}, {@code save_model("m.json")})
 * into a {@link TreeEnsemble}, checking every array against the others so that a malformed or hostile file is
 * refused with a clear error instead of being scored wrongly: node counts, child indexes (always after their parent,
 * so walks end), feature indexes, tree outputs. Only gradient-boosted trees ({@code gbtree}, {@code dart} without
 * weights) with numerical splits are supported.
 */
public final class XGBoostJson
{
    /** more trees or nodes than any sensible model has; a file that declares more is refused before allocation */
    static final int MAX_TREES = 1_000_000;
    static final long MAX_NODES = 10_000_000;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(1000).maxStringLength(100_000_000).build());
    }

    private XGBoostJson() {}

    /**
     * The model, and the feature names the file records (empty when it records none).
     */
    public record Parsed(TreeEnsemble ensemble, List<String> featureNames, String objectiveName, int rounds) {}

    public static Parsed parse(byte[] json, String what)
    {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        }
        catch (IOException e) {
            throw invalid(what, "it is not valid JSON: " + firstLine(e.getMessage()));
        }
        JsonNode learner = root.path("learner");
        if (!learner.isObject()) {
            throw invalid(what, "it has no 'learner' object, so it is not an XGBoost JSON model");
        }
        String objectiveName = learner.path("objective").path("name").asText("");
        Objective objective = Objective.fromXgboostName(objectiveName).orElseThrow(() -> new OnyxException(UNSUPPORTED_MODEL, format(
                "%s uses the XGBoost objective '%s', which Onyx does not convert; supported: %s", what, objectiveName, Objective.supportedNames())));
        JsonNode booster = learner.path("gradient_booster");
        String boosterName = booster.path("name").asText("");
        JsonNode model = booster.path("model");
        if (boosterName.equals("dart")) {
            JsonNode weights = booster.path("weight_drop");
            for (JsonNode weight : weights) {
                if (weight.asDouble() != 1) {
                    throw new OnyxException(UNSUPPORTED_MODEL, format("%s is a DART booster with tree weights, which Onyx does not convert", what));
                }
            }
            model = booster.path("gbtree").path("model");
        }
        else if (!boosterName.equals("gbtree")) {
            throw new OnyxException(UNSUPPORTED_MODEL, format("%s uses the XGBoost booster '%s'; Onyx converts tree boosters (gbtree) only", what, boosterName));
        }
        JsonNode parameters = learner.path("learner_model_param");
        int features = integer(parameters.path("num_feature"), what, "num_feature", 1, ModelFeatures.MAX_FEATURES);
        int classes = integer(parameters.path("num_class"), what, "num_class", 0, 100_000);
        int targets = integer(parameters.path("num_target"), what, "num_target", 1, 1);
        int outputs = objective == Objective.MULTICLASS ? classes : targets;
        if (objective == Objective.MULTICLASS && classes < 2) {
            throw invalid(what, format("its objective %s needs num_class of at least 2, not %s", objectiveName, classes));
        }
        float[] baseScores = baseScores(parameters.path("base_score"), outputs, what);
        float[] baseMargins = new float[outputs];
        for (int output = 0; output < outputs; output++) {
            baseMargins[output] = objective.baseMargin(baseScores[output]);
            if (!Float.isFinite(baseMargins[output])) {
                throw invalid(what, format("its base_score %s has no finite margin under the objective %s", baseScores[output], objectiveName));
            }
        }

        JsonNode trees = model.path("trees");
        JsonNode treeInfo = model.path("tree_info");
        if (!trees.isArray() || !treeInfo.isArray() || trees.size() != treeInfo.size()) {
            throw invalid(what, "its 'trees' and 'tree_info' arrays are missing or differ in length");
        }
        if (trees.size() > MAX_TREES) {
            throw invalid(what, format("it has %s trees, more than %s", trees.size(), MAX_TREES));
        }
        long totalNodes = 0;
        List<TreeEnsemble.Tree> parsed = new ArrayList<>(trees.size());
        for (int index = 0; index < trees.size(); index++) {
            int output = treeInfo.get(index).asInt(-1);
            if (output < 0 || output >= outputs) {
                throw invalid(what, format("tree %s is for output %s, but the model has %s", index, treeInfo.get(index), outputs));
            }
            TreeEnsemble.Tree tree = tree(trees.get(index), index, output, features, what);
            totalNodes += tree.left().length;
            if (totalNodes > MAX_NODES) {
                throw invalid(what, format("its trees have more than %s nodes", MAX_NODES));
            }
            parsed.add(tree);
        }
        int perRound = Math.max(1, outputs) * Math.max(1, integer(model.path("gbtree_model_param").path("num_parallel_tree"), what, "num_parallel_tree", 1, 1000));
        List<String> names = new ArrayList<>();
        for (JsonNode name : learner.path("feature_names")) {
            names.add(name.asText());
        }
        if (!names.isEmpty() && names.size() != features) {
            throw invalid(what, format("it names %s features but has num_feature %s", names.size(), features));
        }
        return new Parsed(new TreeEnsemble(parsed, outputs, baseMargins, features, objective), ImmutableList.copyOf(names), objectiveName, parsed.size() / perRound);
    }

    private static TreeEnsemble.Tree tree(JsonNode tree, int index, int output, int features, String what)
    {
        JsonNode left = tree.path("left_children");
        JsonNode right = tree.path("right_children");
        JsonNode splitIndexes = tree.path("split_indices");
        JsonNode conditions = tree.path("split_conditions");
        JsonNode defaultLeft = tree.path("default_left");
        JsonNode splitTypes = tree.path("split_type");
        int nodes = left.size();
        if (nodes == 0 || right.size() != nodes || splitIndexes.size() != nodes || conditions.size() != nodes || defaultLeft.size() != nodes) {
            throw invalid(what, format("tree %s has node arrays of different lengths", index));
        }
        int[] leftChildren = new int[nodes];
        int[] rightChildren = new int[nodes];
        int[] featureIndexes = new int[nodes];
        float[] values = new float[nodes];
        boolean[] defaults = new boolean[nodes];
        for (int node = 0; node < nodes; node++) {
            leftChildren[node] = left.get(node).asInt();
            rightChildren[node] = right.get(node).asInt();
            values[node] = (float) conditions.get(node).asDouble();
            defaults[node] = defaultLeft.get(node).asInt() != 0 || defaultLeft.get(node).asBoolean(false);
            boolean leaf = leftChildren[node] == -1;
            if (leaf) {
                if (rightChildren[node] != -1) {
                    throw invalid(what, format("tree %s node %s has a right child but no left child", index, node));
                }
                if (!Float.isFinite(values[node])) {
                    throw invalid(what, format("tree %s leaf %s has the value %s", index, node, values[node]));
                }
                continue;
            }
            if (splitTypes.size() == nodes && splitTypes.get(node).asInt() != 0) {
                throw new OnyxException(UNSUPPORTED_MODEL, format("%s has categorical splits (tree %s), which Onyx does not convert; one-hot encode the feature instead", what, index));
            }
            if (leftChildren[node] <= node || leftChildren[node] >= nodes || rightChildren[node] <= node || rightChildren[node] >= nodes) {
                throw invalid(what, format("tree %s node %s has children %s and %s outside the tree or before the node", index, node, leftChildren[node], rightChildren[node]));
            }
            featureIndexes[node] = splitIndexes.get(node).asInt(-1);
            if (featureIndexes[node] < 0 || featureIndexes[node] >= features) {
                throw invalid(what, format("tree %s node %s splits on feature %s, but the model has %s", index, node, splitIndexes.get(node), features));
            }
            if (Float.isNaN(values[node])) {
                throw invalid(what, format("tree %s node %s splits at NaN", index, node));
            }
        }
        return new TreeEnsemble.Tree(output, leftChildren, rightChildren, featureIndexes, values, defaults);
    }

    /**
     * base_score is a number in older files and a bracketed list ({@code "[5E-1]"}) from XGBoost 3.
     */
    private static float[] baseScores(JsonNode node, int outputs, String what)
    {
        String text = node.asText("").strip();
        List<String> parts = new ArrayList<>();
        if (text.startsWith("[") && text.endsWith("]")) {
            for (String part : text.substring(1, text.length() - 1).split(",")) {
                if (!part.isBlank()) {
                    parts.add(part.strip());
                }
            }
        }
        else if (!text.isEmpty()) {
            parts.add(text);
        }
        if (parts.isEmpty()) {
            parts.add("0.5");
        }
        if (parts.size() != 1 && parts.size() != outputs) {
            throw invalid(what, format("its base_score has %s values for %s outputs", parts.size(), outputs));
        }
        float[] scores = new float[outputs];
        for (int output = 0; output < outputs; output++) {
            String part = parts.get(parts.size() == 1 ? 0 : output);
            try {
                scores[output] = Float.parseFloat(part);
            }
            catch (NumberFormatException e) {
                throw invalid(what, format("its base_score '%s' is not a number", part));
            }
            if (!Float.isFinite(scores[output])) {
                throw invalid(what, format("its base_score is %s", part));
            }
        }
        return scores;
    }

    private static int integer(JsonNode node, String what, String name, int minimum, int maximum)
    {
        Optional<Long> value = Optional.empty();
        if (node.isIntegralNumber()) {
            value = Optional.of(node.asLong());
        }
        else if (node.isTextual()) {
            try {
                value = Optional.of(Long.parseLong(node.asText().strip()));
            }
            catch (NumberFormatException e) {
                value = Optional.empty();
            }
        }
        else if (node.isMissingNode() && minimum > 0) {
            value = Optional.of((long) minimum);
        }
        else if (node.isMissingNode()) {
            value = Optional.of(0L);
        }
        if (value.isEmpty() || value.get() < minimum || value.get() > maximum) {
            throw invalid(what, format("its %s is %s; expected a whole number from %s to %s", name, node.isMissingNode() ? "missing" : node.toString(), minimum, maximum));
        }
        return value.get().intValue();
    }

    private static OnyxException invalid(String what, String why)
    {
        return new OnyxException(INVALID_MODEL_FILE, format("%s is not a model Onyx can read: %s", what, why));
    }

    static String firstLine(String message)
    {
        String text = message == null ? "" : message.lines().findFirst().orElse("");
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
