package io.onyxml.inference;

import io.onyxml.store.OnyxException;

import java.util.Locale;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.lang.String.format;

/**
 * Where models should run: {@code auto} (CUDA when the ONNX Runtime GPU build is on the class path and offers it,
 * else CPU), {@code cpu}, or {@code cuda} / {@code cuda:N} (GPU N, default 0). A model that cannot be loaded on the
 * GPU falls back to the CPU with a logged warning.
 */
public record DeviceSpec(Kind kind, int deviceId)
{
    public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, 0);
    public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, 0);

    public enum Kind
    {
        AUTO,
        CPU,
        CUDA,
    }

    public DeviceSpec
    {
        if (deviceId < 0) {
            throw new OnyxException(INVALID_ARGUMENT, "GPU device number must not be negative: " + deviceId);
        }
    }

    public static DeviceSpec cuda(int deviceId)
    {
        return new DeviceSpec(Kind.CUDA, deviceId);
    }

    public static DeviceSpec parse(String text)
    {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("auto")) {
            return AUTO;
        }
        if (value.equals("cpu")) {
            return CPU;
        }
        if (value.equals("cuda") || value.equals("gpu")) {
            return cuda(0);
        }
        if (value.matches("(cuda|gpu):[0-9]{1,3}")) {
            return cuda(Integer.parseInt(value.substring(value.indexOf(':') + 1)));
        }
        throw new OnyxException(INVALID_ARGUMENT, format("Invalid device '%s': use auto, cpu, cuda or cuda:N", text));
    }

    @Override
    public String toString()
    {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case CUDA -> "cuda:" + deviceId;
        };
    }
}
