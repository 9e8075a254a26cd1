package io.onyxml.store;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Turns a model file of another format into ONNX at registration, recognised by its content (for example an
 * XGBoost JSON model). The store then registers the ONNX file, as if it had been given, with what the conversion
 * knows about it; everything else about the registration (policy, checks, atomic commit) is unchanged.
 */
@FunctionalInterface
public interface ModelConverter
{
    ModelConverter NONE = (bytes, what, options) -> Optional.empty();

    /**
     * @param bytes the file as given, read-only
     * @param what names the file in messages
     * @param options what the caller said about the model (its class labels, say), which the conversion may use
     * @return the converted model, or empty when the file is not of a format this converter knows (then it must be
     * ONNX)
     * @throws OnyxException when the file is of a known format but cannot be converted
     */
    Optional<ConvertedModel> convert(ByteBuffer bytes, String what, RegisterOptions options);
}
