package io.onyxml.spark;

import io.onyxml.inference.DeviceSpec;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which device a Spark task scores on. Spark's local mode offers tasks no resources (a task asking for a GPU is never
 * scheduled there), so the choice is tested on the addresses a task would get; the engine's fallback to the CPU
 * and the GPU path itself are tested in inference-core's {@code TestDevices}.
 */
class TestTaskDevices
{
    @Test
    void autoUsesTheGpuSparkAssignedElseTheCpu()
    {
        assertThat(TaskDevices.choose(DeviceSpec.AUTO, Optional.empty())).isEqualTo(DeviceSpec.CPU);
        assertThat(TaskDevices.choose(DeviceSpec.AUTO, Optional.of(new String[0]))).isEqualTo(DeviceSpec.CPU);
        assertThat(TaskDevices.choose(DeviceSpec.AUTO, Optional.of(new String[] {"3", "4"}))).isEqualTo(DeviceSpec.cuda(3));
        assertThat(TaskDevices.choose(DeviceSpec.AUTO, Optional.of(new String[] {"GPU-8d1f"}))).isEqualTo(DeviceSpec.CPU);
        assertThat(TaskDevices.choose(DeviceSpec.CPU, Optional.of(new String[] {"1"}))).isEqualTo(DeviceSpec.CPU);
        assertThat(TaskDevices.choose(DeviceSpec.cuda(2), Optional.empty())).isEqualTo(DeviceSpec.cuda(2));
    }
}
