package io.onyxml.spark;

import io.onyxml.inference.DeviceSpec;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

import java.lang.System.Logger;
import java.util.Map;
import java.util.Optional;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Where a Spark task scores: with {@code spark.onyx.device=auto}, on the GPU Spark's resource scheduling assigned to
 * the task ({@code spark.task.resource.gpu.amount}), else on the CPU; an explicit {@code cpu} or {@code cuda:N} is
 * used as it is.
 */
final class TaskDevices
{
    static final String GPU_RESOURCE = "gpu";
    private static final Logger LOG = System.getLogger(TaskDevices.class.getName());

    private TaskDevices() {}

    static DeviceSpec forCurrentTask(DeviceSpec configured)
    {
        TaskContext task = TaskContext.get();
        Map<String, ResourceInformation> resources = task == null ? Map.of() : scala.jdk.javaapi.CollectionConverters.asJava(task.resources());
        return choose(configured, Optional.ofNullable(resources.get(GPU_RESOURCE)).map(ResourceInformation::addresses));
    }

    static DeviceSpec choose(DeviceSpec configured, Optional<String[]> gpuAddresses)
    {
        if (configured.kind() != DeviceSpec.Kind.AUTO) {
            return configured;
        }
        if (gpuAddresses.isEmpty() || gpuAddresses.get().length == 0) {
            return DeviceSpec.CPU;
        }
        String address = gpuAddresses.get()[0].strip();
        try {
            return DeviceSpec.cuda(Integer.parseInt(address));
        }
        catch (IllegalArgumentException e) {
            LOG.log(WARNING, "Spark assigned this task the GPU '{0}', which is not a CUDA device number; scoring on the CPU (set spark.onyx.device=cuda:N to choose a GPU)", address);
            return DeviceSpec.CPU;
        }
    }
}
