package io.onyxml.inference.compiled;

/**
 * A row vector times a constant matrix: MatMul and Gemm. Products are summed in double and the result rounded to
 * float once, where ONNX Runtime sums in float in blocks of its own; both are within float rounding of the exact sum.
 */
final class MatrixSteps
{
    private MatrixSteps() {}

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
