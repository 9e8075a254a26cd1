package io.onyxml.inference;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.OnyxException;
import io.onyxml.store.onnx.OnnxModelDescription;

import java.util.Map;

import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static java.lang.String.format;

/**
 * The operator domains, and the newest operator set of each, that the bundled ONNX Runtime (1.28) runs. A model that
 * imports a newer set, or uses operators of another domain (custom operators, whose libraries Onyx does not load), is
 * refused at registration. {@code TestOnnxRuntimeSupport} checks these numbers against ONNX Runtime itself.
 */
final class OnnxRuntimeSupport
{
    static final String DEFAULT_DOMAIN = "ai.onnx";
    static final Map<String, Long> NEWEST_OPSETS = ImmutableMap.of(
            DEFAULT_DOMAIN, 26L,
            "ai.onnx.ml", 5L,
            "com.microsoft", 1L,
            "ai.onnx.preview.training", 1L);

    private OnnxRuntimeSupport() {}

    static void check(String modelName, OnnxModelDescription description)
    {
        for (Map.Entry<String, Long> opset : description.onnx().opsets().entrySet()) {
            Long newest = NEWEST_OPSETS.get(opset.getKey());
            if (newest != null && opset.getValue() > newest) {
                throw new OnyxException(UNSUPPORTED_MODEL, format(
                        "Model '%s' uses operator set %s of domain %s, newer than the %s that this ONNX Runtime runs; export it with opset %s or older",
                        modelName,
                        opset.getValue(),
                        opset.getKey(),
                        newest,
                        newest));
            }
        }
        for (String domain : description.operators().keySet()) {
            if (!NEWEST_OPSETS.containsKey(domain)) {
                throw new OnyxException(UNSUPPORTED_MODEL, format(
                        "Model '%s' uses operator %s of domain '%s', which ONNX Runtime does not provide; Onyx runs the standard operators of %s and does not load custom operator libraries",
                        modelName,
                        description.operators().get(domain).iterator().next(),
                        domain,
                        String.join(", ", NEWEST_OPSETS.keySet())));
            }
            if (!description.onnx().opsets().containsKey(domain)) {
                throw new OnyxException(UNSUPPORTED_MODEL, format(
                        "Model '%s' uses operator %s of domain %s without importing an operator set of that domain",
                        modelName,
                        description.operators().get(domain).iterator().next(),
                        domain));
            }
        }
    }
}
