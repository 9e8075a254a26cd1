package io.onyxml.inference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestOrtMessages
{
    @Test
    void dropsTheRuntimesSourceLocationsAndFunctions()
    {
        // as ONNX Runtime 1.28 words a model with too new an operator set
        String raw = "Error code - ORT_FAIL - message: /onnxruntime_src/onnxruntime/core/graph/model_load_utils.h:46 void onnxruntime::model_load_utils::ValidateOpsetForDomain(const std::unordered_map<std::__cxx11::basic_string<char>, int>&, const onnxruntime::logging::Logger&, bool, const std::string&, int) ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions. Current official support for domain ai.onnx is till opset 26.";
        assertThat(OrtMessages.clean(raw)).isEqualTo("ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions. Current official support for domain ai.onnx is till opset 26.");
    }

    @Test
    void hidesPathsOfTheMachine()
    {
        assertThat(OrtMessages.clean("Error code - ORT_NO_SUCHFILE - message: Load model from /var/trino/data/weights.bin failed: File doesn't exist"))
                .isEqualTo("Load model from <path> failed: File doesn't exist");
        assertThat(OrtMessages.clean("External data path C:\\models\\w.bin does not exist"))
                .isEqualTo("External data path <path> does not exist");
        // relative names, versions and operator names stay
        assertThat(OrtMessages.clean("Fatal error: custom.ops:Magic(-1) is not a registered function/op, opset 1.2/3"))
                .isEqualTo("Fatal error: custom.ops:Magic(-1) is not a registered function/op, opset 1.2/3");
        assertThat(OrtMessages.clean(null)).isEqualTo("no reason given");
        assertThat(OrtMessages.clean("x".repeat(2000))).hasSize(603);
    }

    @Test
    void looksAtABoundedPartOfTheMessage()
    {
        // a model can hand ONNX Runtime node names of megabytes, which it copies into its messages
        String huge = "In Node " + "n".repeat(5 << 20) + " at /opt/models/m.onnx";
        assertThat(OrtMessages.clean(huge)).hasSize(603).startsWith("In Node nnn");
        assertThat(OrtMessages.clean("Error code - ORT_FAIL - message: /onnxruntime_src/onnxruntime/core/graph/graph.cc:1460 " + "w".repeat(100_000) + ".h:12 rest"))
                .hasSize(603);
    }
}
