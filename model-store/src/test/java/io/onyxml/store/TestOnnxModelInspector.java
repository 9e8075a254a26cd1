package io.onyxml.store;

import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.store.onnx.OnnxModelDescription;
import io.onyxml.store.onnx.OnnxModelInspector;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.ElementType.INT64;
import static io.onyxml.store.ElementType.STRING;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_FILE;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestOnnxModelInspector
{
    @Test
    void readsTheSignatureOfALinearModel()
    {
        OnnxModelDescription description = inspect(TestModels.linearRegression());
        assertThat(description.signature().inputs()).containsExactly(ValueSpec.tensor("x", FLOAT, DYNAMIC, 4));
        assertThat(description.signature().outputs()).containsExactly(ValueSpec.tensor("y", FLOAT, DYNAMIC, 1));
        assertThat(description.onnx().irVersion()).isEqualTo(8);
        assertThat(description.onnx().opsets()).containsEntry("ai.onnx", 13L);
        assertThat(description.onnx().producerName()).isEqualTo("onyx-tests");
        assertThat(description.task()).isEmpty();
        assertThat(description.signature().inputs().get(0).typeText()).isEqualTo("float[N,4]");
    }

    @Test
    void skipsInitializersListedAsInputs()
    {
        byte[] model = new OnnxGraphBuilder("old_style")
                .irVersion(3)
                .input("x", FLOAT, DYNAMIC, 1)
                .input("w", FLOAT, 1)
                .output("y", FLOAT, DYNAMIC, 1)
                .floatInitializer("w", new float[] {2}, 1)
                .node("Mul").inputs("x", "w").outputs("y").add()
                .build();
        assertThat(inspect(model).signature().inputs()).extracting(ValueSpec::name).containsExactly("x");
    }

    @Test
    void recognisesAClassifierWithZipMap()
    {
        OnnxModelDescription description = inspect(TestModels.classifier());
        assertThat(description.task()).contains(ModelTask.CLASSIFICATION);
        assertThat(description.classLabels()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(description.signature().outputs()).containsExactly(
                ValueSpec.tensor("label", STRING, DYNAMIC),
                ValueSpec.sequenceOfMaps("probabilities", STRING, FLOAT));
        assertThat(description.signature().outputs().get(1).typeText()).isEqualTo("seq(map(string,float))");
        assertThat(description.onnx().opsets()).containsEntry("ai.onnx.ml", 3L);
    }

    @Test
    void recognisesATreeEnsembleRegressor()
    {
        assertThat(inspect(TestModels.treeEnsemble()).task()).contains(ModelTask.REGRESSION);
    }

    @Test
    void readsInputsOfDifferentTypes()
    {
        assertThat(inspect(TestModels.twoInputs()).signature().inputs()).containsExactly(
                ValueSpec.tensor("embedding", FLOAT, DYNAMIC, 3),
                ValueSpec.tensor("count", INT64, DYNAMIC));
    }

    @Test
    void readsMetadata()
    {
        byte[] model = new OnnxGraphBuilder("meta")
                .metadata("feature_names", "a, b")
                .input("x", FLOAT, DYNAMIC, 2)
                .output("y", FLOAT, DYNAMIC, 2)
                .node("Identity").inputs("x").outputs("y").add()
                .build();
        assertThat(inspect(model).metadata()).containsEntry("feature_names", "a, b");
    }

    @Test
    void rejectsFilesThatAreNotOnnx()
    {
        assertThatThrownBy(() -> OnnxModelInspector.inspect(ByteBuffer.wrap("hello, this is not a model".getBytes(UTF_8)), "model.onnx"))
                .isInstanceOf(OnyxException.class)
                .hasMessageStartingWith("model.onnx is not")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_MODEL_FILE);
        assertThatThrownBy(() -> OnnxModelInspector.inspect(ByteBuffer.allocate(0), "empty.onnx"))
                .hasMessage("empty.onnx is not an ONNX model: it has no IR version or no graph");
    }

    @Test
    void rejectsGraphsWithoutInputs()
    {
        byte[] model = new OnnxGraphBuilder("constant")
                .output("y", FLOAT, 1)
                .floatInitializer("c", new float[] {1}, 1)
                .node("Identity").inputs("c").outputs("y").add()
                .build();
        assertThatThrownBy(() -> inspect(model)).hasMessageContaining("has no inputs");
    }

    @Test
    void describesFeatures()
    {
        ModelSignature packed = inspect(TestModels.linearRegression()).signature();
        assertThat(ModelFeatures.defaultNames("linear", packed, Optional.empty())).containsExactly("x_0", "x_1", "x_2", "x_3");
        assertThat(ModelFeatures.defaultNames("linear", packed, Optional.of(List.of("a", "b", "c", "d")))).containsExactly("a", "b", "c", "d");
        assertThat(ModelFeatures.defaultNames("linear", packed, Optional.of(List.of("a", "b")))).containsExactly("x_0", "x_1", "x_2", "x_3");
        // metadata names that clash regardless of case are not used
        assertThat(ModelFeatures.defaultNames("linear", packed, Optional.of(List.of("a", "b", "c", "A")))).containsExactly("x_0", "x_1", "x_2", "x_3");
        ModelSignature columns = inspect(TestModels.mixedColumns()).signature();
        assertThat(ModelFeatures.defaultNames("mixed", columns, Optional.empty())).containsExactly("age", "city", "member");
        ModelSignature mixed = inspect(TestModels.twoInputs()).signature();
        assertThat(ModelFeatures.defaultNames("two", mixed, Optional.empty())).containsExactly("embedding_0", "embedding_1", "embedding_2", "count");
        assertThatThrownBy(() -> ModelFeatures.checkNames("linear", packed, List.of("a", "b", "c")))
                .hasMessage("Model 'linear' takes 4 features (inputs: x float[N,4]), but 3 feature names were given");
        assertThatThrownBy(() -> ModelFeatures.checkNames("linear", packed, List.of("a", "b", "c", "a")))
                .hasMessage("Feature names of model 'linear' must be unique, regardless of case: [a, a]");
        assertThatThrownBy(() -> ModelFeatures.checkNames("linear", packed, List.of("area_m2", "b", "c", "AREA_M2")))
                .hasMessage("Feature names of model 'linear' must be unique, regardless of case: [area_m2, AREA_M2]");
        assertThatThrownBy(() -> ModelFeatures.checkNames("linear", packed, List.of("a", " b", "c", "d")))
                .hasMessage("Feature names of model 'linear' must not be empty or hold control characters or surrounding spaces: ' b'");
    }

    private static OnnxModelDescription inspect(byte[] model)
    {
        return OnnxModelInspector.inspect(ByteBuffer.wrap(model), "test model");
    }
}
