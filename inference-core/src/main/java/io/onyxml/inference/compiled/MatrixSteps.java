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
     * {@code y = alpha * x W + beta * c} in float: for each feature, an axpy of its row of weights into the frame's
     * float scratch. Each row is an array of its own, read at the same index as the sums, so that the JIT vectorizes
     * the loop (it does not when the weights are read at an offset it cannot prove distinct from the sums).
     *
     * @param bias {@code columns} values already multiplied by beta (or null)
     */
    record FloatVectorMatrix(int input, float[][] weights, int columns, float alpha, float[] bias, int output)
            implements Step
    {
        static FloatVectorMatrix of(int input, int rows, double[] weights, int columns, float alpha, float[] bias, int output)
        {
            float[][] byRow = new float[rows][columns];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < columns; j++) {
                    byRow[i][j] = (float) weights[i * columns + j];
                }
            }
            return new FloatVectorMatrix(input, byRow, columns, alpha, bias, output);
        }

        @Override
        public void run(Frame frame)
        {
            double[] numbers = frame.numbers;
            if (columns == 1) {
                float sum = 0;
                for (int i = 0; i < weights.length; i++) {
                    sum = Math.fma((float) numbers[input + i], weights[i][0], sum);
                }
                float scaled = alpha == 1 ? sum : alpha * sum;
                numbers[output] = bias == null ? scaled : scaled + bias[0];
                return;
            }
            float[] sums = frame.floats;
            for (int j = 0; j < columns; j++) {
                sums[j] = 0;
            }
            for (int i = 0; i < weights.length; i++) {
                axpy((float) numbers[input + i], weights[i], sums, columns);
            }
            for (int j = 0; j < columns; j++) {
                float scaled = alpha == 1 ? sums[j] : alpha * sums[j];
                numbers[output + j] = bias == null ? scaled : scaled + bias[j];
            }
        }

        private static void axpy(float x, float[] row, float[] sums, int count)
        {
            for (int j = 0; j < count; j++) {
                sums[j] = Math.fma(x, row[j], sums[j]);
            }
        }

        @Override
        public long multiplyAdds()
        {
            return (long) weights.length * columns;
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
