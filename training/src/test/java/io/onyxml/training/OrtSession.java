package io.onyxml.training;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.OrtSession.SessionOptions;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs an exported model in ONNX Runtime directly, outside Onyx's inference core: one [N, 1] tensor per column.
 */
final class OrtSession
        implements AutoCloseable
{
    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final ai.onnxruntime.OrtSession session;
    private final Map<String, OnnxTensor> inputs = new LinkedHashMap<>();

    OrtSession(byte[] model)
            throws OrtException
    {
        session = environment.createSession(model, new SessionOptions());
    }

    OrtSession numbers(String name, double... values)
            throws OrtException
    {
        double[][] shaped = new double[values.length][1];
        for (int i = 0; i < values.length; i++) {
            shaped[i][0] = values[i];
        }
        inputs.put(name, OnnxTensor.createTensor(environment, shaped));
        return this;
    }

    OrtSession texts(String name, String... values)
            throws OrtException
    {
        String[][] shaped = new String[values.length][1];
        for (int i = 0; i < values.length; i++) {
            shaped[i][0] = values[i];
        }
        inputs.put(name, OnnxTensor.createTensor(environment, shaped));
        return this;
    }

    /**
     * Every output by name, as Java arrays.
     */
    Map<String, Object> run()
            throws OrtException
    {
        Map<String, Object> outputs = new HashMap<>();
        try (Result result = session.run(inputs)) {
            for (Map.Entry<String, OnnxValue> entry : result) {
                outputs.put(entry.getKey(), entry.getValue().getValue());
            }
        }
        return outputs;
    }

    @Override
    public void close()
            throws OrtException
    {
        for (OnnxTensor tensor : inputs.values()) {
            tensor.close();
        }
        session.close();
    }
}
