package io.onyxml.inference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestGpuVisibility
{
    @TempDir
    Path devices;

    @Test
    void linuxSeesAGpuThroughItsDeviceFile()
            throws IOException
    {
        assertThat(linux(Map.of()).anyVisible()).isFalse();

        // the driver's control files exist on machines whose GPUs are all hidden or gone
        Files.createFile(devices.resolve("nvidiactl"));
        Files.createFile(devices.resolve("nvidia-uvm"));
        assertThat(linux(Map.of()).anyVisible()).isFalse();

        Files.createFile(devices.resolve("nvidia0"));
        assertThat(linux(Map.of()).anyVisible()).isTrue();
        assertThat(linux(Map.of("CUDA_VISIBLE_DEVICES", "0")).anyVisible()).isTrue();
    }

    @Test
    void cudaVisibleDevicesCanHideEveryGpu()
            throws IOException
    {
        Files.createFile(devices.resolve("nvidia0"));
        assertThat(linux(Map.of("CUDA_VISIBLE_DEVICES", "")).anyVisible()).isFalse();
        assertThat(linux(Map.of("CUDA_VISIBLE_DEVICES", "-1")).anyVisible()).isFalse();
        assertThat(new GpuVisibility(Map.of("CUDA_VISIBLE_DEVICES", "-1"), "Windows 11", devices).anyVisible()).isFalse();
    }

    @Test
    void elsewhereAGpuCountsAsVisible()
    {
        assertThat(new GpuVisibility(Map.of(), "Windows 11", devices.resolve("missing")).anyVisible()).isTrue();
        assertThat(linux(Map.of()).anyVisible()).isFalse();
        assertThat(new GpuVisibility(Map.of(), "Linux", devices.resolve("missing")).anyVisible()).isFalse();
    }

    private GpuVisibility linux(Map<String, String> environment)
    {
        return new GpuVisibility(environment, "Linux", devices);
    }
}
