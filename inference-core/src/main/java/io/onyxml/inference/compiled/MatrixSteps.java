package io.onyxml.inference.compiled;

/**
 * A row vector times a constant matrix: MatMul and Gemm. Float products are accumulated as ONNX Runtime's MLAS does:
 * in float, with fused multiply-adds, in feature order from zero, then scaled by alpha and added to the bias (for
 * up to 256 features, MLAS's block of the shared axis, this is its order exactly); double products in double.
 */
final class MatrixSteps
{
    private MatrixSteps() {}

    /**
     * {@code y = alpha * x W + beta * c} in float, {@code W} row-major {@code rows x columns}; an axpy over the
     * columns per feature into the frame's float scratch, which the JIT vectorizes.
     *
     * @param bias {@code columns} values already multiplied by beta (or null)
     */
    record FloatVectorMatrix(int input, int rows, float[] weights, int columns, float alpha, float[] bias, int output)
            implements Step
    {
        @Override
        public void run(Frame frame)
        {
            double[] numbers = frame.numbers;
            float[] sums = frame.floats;
            for (int j = 0; j < columns; j++) {
                sums[j] = 0;
            }
            for (int i = 0; i < rows; i++) {
                float x = (float) numbers[input + i];
                int base = i * columns;
                for (int j = 0; j < columns; j++) {
                    sums[j] = Math.fma(x, weights[base + j], sums[j]);
                }
            }
            for (int j = 0; j < columns; j++) {
                float scaled = alpha == 1 ? sums[j] : alpha * sums[j];
                numbers[output + j] = bias == null ? scaled : scaled + bias[j];
            }
        }

        @Override
        public long multiplyAdds()
        {
            return (long) rows * columns;
        }
    }

    /**
     * {@code y = alpha * x W + beta * c}, {@code x} of {@code rows} values, {@code W} row-major {@code rows x columns}.
     *
     * @param bias {@code columns} values already multiplied by beta (or null)
     */
    record VectorMatrix(int input, int rows, double[] weights, int columns, double alpha, double[] bias, int output, boolean toFloat)
            implements Step
    {
        @Override
        public void run(Frame frame)
        {
            double[] numbers = frame.numbers;
            if (columns == 1) {
                double sum = 0;
                for (int i = 0; i < rows; i++) {
                    sum += numbers[input + i] * weights[i];
                }
                finish(numbers, 0, sum);
                return;
            }
            // accumulate in the output's own slots: axpy over the columns, which the JIT vectorizes
            for (int j = 0; j < columns; j++) {
                numbers[output + j] = 0;
            }
            for (int i = 0; i < rows; i++) {
                double x = numbers[input + i];
                int base = i * columns;
                for (int j = 0; j < columns; j++) {
                    numbers[output + j] += x * weights[base + j];
                }
            }
            for (int j = 0; j < columns; j++) {
                finish(numbers, j, numbers[output + j]);
            }
        }

        @Override
        public long multiplyAdds()
        {
            return (long) rows * columns;
        }

        private void finish(double[] numbers, int column, double sum)
        {
            double result = alpha * sum + (bias == null ? 0 : bias[column]);
            numbers[output + column] = toFloat ? (float) result : result;
        }
    }
}
