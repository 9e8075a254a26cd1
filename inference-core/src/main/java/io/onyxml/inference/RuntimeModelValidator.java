package io.onyxml.inference;

import io.onyxml.inference.binding.OutputBinder;
import io.onyxml.inference.binding.OutputBinding;
import io.onyxml.inference.binding.TensorConversions;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelValidator;
import io.onyxml.store.OnyxException;
import io.onyxml.store.ValueSpec;
import io.onyxml.store.onnx.OnnxModelDescription;

import java.nio.ByteBuffer;
import java.util.List;

import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Proves at registration that the inference core can serve a model, so that what cannot run is refused with a user
 * error before it is stored instead of failing at the first prediction: operator sets and domains the bundled ONNX
 * Runtime provides, inputs Onyx can feed, outputs it can return and that serve the model's task, and one trial load.
 */
final class RuntimeModelValidator
        implements ModelValidator
{
    private final ModelLoader loader;

    RuntimeModelValidator(ModelLoader loader)
    {
        this.loader = requireNonNull(loader, "loader is null");
    }

    @Override
    public void validate(ModelManifest draft, OnnxModelDescription description, ByteBuffer bytes)
    {
        String model = "'" + draft.name() + "'";
        OnnxRuntimeSupport.check(draft.name(), description);
        for (ValueSpec input : draft.signature().inputs()) {
            TensorConversions.checkFeedable(model, input);
        }
        List<OutputBinding> outputs;
        try {
            outputs = OutputBinder.bind(draft);
        }
        catch (OnyxException e) {
            throw new OnyxException(UNSUPPORTED_MODEL, format(
                    "Model %s has no output Onyx can return (outputs: %s); Onyx returns tensors and sequences of maps",
                    model,
                    draft.signature().outputs()));
        }
        ResultColumns.taskProblem(draft.task(), outputs).ifPresent(problem -> {
            throw new OnyxException(UNSUPPORTED_MODEL, format(
                    "Model %s cannot be registered with task %s: %s; its outputs are %s. Register it with the task its outputs serve (regression, classification, clustering, embedding or other)",
                    model,
                    draft.task().displayName(),
                    problem,
                    draft.signature().outputs()));
        });
        loader.tryLoad(draft, bytes);
    }
}
