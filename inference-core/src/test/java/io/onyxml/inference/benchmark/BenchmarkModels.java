package io.onyxml.inference.benchmark;

import io.onyxml.store.testing.TestModels;

import java.util.Random;

/**
 * The three models the evaluator benchmarks score, and rows of realistic inputs for them: standard normal features
 * for the linear model and the MLP (standardized columns), and for the forest the ranges of tpch lineitem's quantity
 * (whole numbers), extendedprice, discount and tax (hundredths), the ranges its thresholds are drawn from.
 */
final class BenchmarkModels
{
    static final int FEATURES = 4;
    static final float[] FOREST_LOW = {1, 900, 0, 0};
    static final float[] FOREST_HIGH = {50, 105000, 0.1f, 0.08f};

    private BenchmarkModels() {}

    static byte[] bytes(String model)
    {
        return switch (model) {
            case "linear" -> TestModels.linearRegression();
            case "mlp" -> mlp().bytes();
            case "forest" -> forest().bytes();
            default -> throw new IllegalArgumentException("unknown model: " + model);
        };
    }

    static TestModels.Mlp mlp()
    {
        return TestModels.mlp(FEATURES, 64, 1, 42);
    }

    static TestModels.Forest forest()
    {
        return TestModels.forest(100, 6, FOREST_LOW, FOREST_HIGH, 7);
    }

    /**
     * {@code rows} rows of {@link #FEATURES} floats, row-major.
     */
    static float[] inputs(String model, int rows, long seed)
    {
        Random random = new Random(seed);
        float[] values = new float[rows * FEATURES];
        for (int row = 0; row < rows; row++) {
            int at = row * FEATURES;
            if (model.equals("forest")) {
                values[at] = 1 + random.nextInt(50);
                values[at + 1] = FOREST_LOW[1] + random.nextFloat() * (FOREST_HIGH[1] - FOREST_LOW[1]);
                values[at + 2] = random.nextInt(11) / 100f;
                values[at + 3] = random.nextInt(9) / 100f;
            }
            else {
                for (int feature = 0; feature < FEATURES; feature++) {
                    values[at + feature] = (float) random.nextGaussian();
                }
            }
        }
        return values;
    }
}
