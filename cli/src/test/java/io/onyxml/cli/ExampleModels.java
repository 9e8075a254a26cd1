package io.onyxml.cli;

import com.google.common.collect.ImmutableList;
import io.onyxml.store.onnx.OnnxGraphBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.onyxml.store.ElementType.FLOAT;

/**
 * The model under {@code examples/house-prices}, built here so that the committed file can be checked and rebuilt:
 * {@code price_k = 1.2 area_m2 + 15 bedrooms - 0.8 age_years - 3 distance_km + 50}, with the feature names in its
 * metadata. Run {@link #main} from the project root to write it again.
 */
public final class ExampleModels
{
    public static final Path HOUSE_PRICES = Path.of("examples", "house-prices", "house-prices.onnx");
    public static final List<String> HOUSE_FEATURES = ImmutableList.of("area_m2", "bedrooms", "age_years", "distance_km");
    private static final float[] WEIGHTS = {1.2f, 15f, -0.8f, -3f};
    private static final float BIAS = 50f;

    private ExampleModels() {}

    public static byte[] housePrices()
    {
        return new OnnxGraphBuilder("house_prices")
                .metadata("feature_names", String.join(",", HOUSE_FEATURES))
                .input("features", FLOAT, -1, 4)
                .output("price_k", FLOAT, -1, 1)
                .floatInitializer("weights", WEIGHTS, 4, 1)
                .floatInitializer("bias", new float[] {BIAS}, 1)
                .node("MatMul").inputs("features", "weights").outputs("weighted").add()
                .node("Add").inputs("weighted", "bias").outputs("price_k").add()
                .build();
    }

    public static double housePrice(double area, double bedrooms, double age, double distance)
    {
        return WEIGHTS[0] * area + WEIGHTS[1] * bedrooms + WEIGHTS[2] * age + WEIGHTS[3] * distance + BIAS;
    }

    public static void main(String[] args)
            throws Exception
    {
        Files.write(HOUSE_PRICES, housePrices());
    }
}
