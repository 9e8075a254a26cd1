package io.onyxml.store;

import io.onyxml.store.onnx.OnnxModelDescription;

import java.nio.ByteBuffer;

/**
 * A check a model must pass before the store keeps it, beyond what the store checks itself (a valid ONNX file whose
 * declarations its bytes back): typically that the runtime which will score it can load it. It runs before anything
 * is written, so a refused model leaves no trace.
 */
@FunctionalInterface
public interface ModelValidator
{
    ModelValidator NONE = (draft, description, bytes) -> {};

    /**
     * @param draft the manifest the version will get, numbered as if it were the first version; messages should name
     * the model ({@code draft.name()}), not this number
     * @param bytes the ONNX file, read-only
     * @throws OnyxException with a user error code when the model cannot be served
     */
    void validate(ModelManifest draft, OnnxModelDescription description, ByteBuffer bytes);
}
