package io.onyxml.inference;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Whether an NVIDIA GPU is visible to this process, decided without loading CUDA, so that {@code device=auto} with the
 * GPU build of ONNX Runtime stays quietly on the CPU on machines without a GPU. {@code CUDA_VISIBLE_DEVICES} set to
 * nothing or to {@code -1} hides every GPU; on Linux a GPU is visible when the driver exposes a device file
 * {@code /dev/nvidiaN} (also inside containers given a GPU). Elsewhere there is no cheap check, so a GPU counts as
 * visible and a failed CUDA load falls back to the CPU with a reason.
 */
final class GpuVisibility
{
    private static final Pattern DEVICE_FILE = Pattern.compile("nvidia[0-9]+");

    private final Map<String, String> environment;
    private final String osName;
    private final Path devices;

    GpuVisibility(Map<String, String> environment, String osName, Path devices)
    {
        this.environment = requireNonNull(environment, "environment is null");
        this.osName = requireNonNull(osName, "osName is null");
        this.devices = requireNonNull(devices, "devices is null");
    }

    static GpuVisibility ofThisProcess()
    {
        return new GpuVisibility(System.getenv(), System.getProperty("os.name", ""), Path.of("/dev"));
    }

    boolean anyVisible()
    {
        String visible = environment.get("CUDA_VISIBLE_DEVICES");
        if (visible != null && (visible.isBlank() || visible.trim().startsWith("-1"))) {
            return false;
        }
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return true;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(devices, "nvidia*")) {
            for (Path file : files) {
                if (DEVICE_FILE.matcher(file.getFileName().toString()).matches()) {
                    return true;
                }
            }
            return false;
        }
        catch (IOException e) {
            return false;
        }
    }
}
