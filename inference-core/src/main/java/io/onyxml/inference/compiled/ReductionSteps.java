package io.onyxml.inference.compiled;

/**
 * Steps over the last axis of a row value: softmax, arg max/min and sums, computed in groups of {@code width}
 * values ({@code groups} of them per row).
 */
final class ReductionSteps
{
    private ReductionSteps() {}

    record Softmax(int input, int output, int groups, int width, boolean toFloat, boolean logarithm)
            implements Step
    {
        @Override
        public void run(Frame frame)
        {
            double[] numbers = frame.numbers;
            for (int group = 0; group < groups; group++) {
                int from = group * width;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < width; i++) {
                    max = Math.max(max, numbers[input + from + i]);
                }
                double sum = 0;
                for (int i = 0; i < width; i++) {
                    sum += Math.exp(numbers[input + from + i] - max);
                }
                for (int i = 0; i < width; i++) {
                    double shifted = numbers[input + from + i] - max;
                    double result = logarithm ? shifted - Math.log(sum) : Math.exp(shifted) / sum;
                    numbers[output + from + i] = toFloat ? (float) result : result;
                }
            }
        }
    }

    /**
     * The index of the largest (or smallest) value of each group; ties go to the first index, or to the last with
     * {@code select_last_index}.
     */
    record ArgExtreme(int input, int output, int groups, int width, boolean largest, boolean last)
            implements Step
    {
        @Override
        public void run(Frame frame)
        {
            double[] numbers = frame.numbers;
            for (int group = 0; group < groups; group++) {
                int from = input + group * width;
                int best = 0;
                double bestValue = numbers[from];
                for (int i = 1; i < width; i++) {
                    double value = numbers[from + i];
                    boolean better = largest ? (last ? value >= bestValue : value > bestValue) : (last ? value <= bestValue : value < bestValue);
                    if (better) {
                        best = i;
                        bestValue = value;
                    }
                }
                numbers[output + group] = best;
            }
        }
    }

    enum Reduction { SUM, MEAN, MAX, MIN, SUM_SQUARE, L2, L1, PROD }

    record Reduce(int input, int output, int groups, int width, Reduction reduction, boolean toFloat)
            implements Step
    {
        @Override
        public void run(Frame frame)
        {
            double[] numbers = frame.numbers;
            for (int group = 0; group < groups; group++) {
                double result = reduce(numbers, input + group * width);
                numbers[output + group] = toFloat ? (float) result : result;
            }
        }

        private double reduce(double[] numbers, int from)
        {
            if (reduction == Reduction.MAX || reduction == Reduction.MIN) {
                double extreme = numbers[from];
                for (int i = 1; i < width; i++) {
                    extreme = reduction == Reduction.MAX ? Math.max(extreme, numbers[from + i]) : Math.min(extreme, numbers[from + i]);
                }
                return extreme;
            }
            if (reduction == Reduction.PROD) {
                double product = 1;
                for (int i = 0; i < width; i++) {
                    product *= numbers[from + i];
                }
                return product;
            }
            double sum = 0;
            for (int i = 0; i < width; i++) {
                sum += term(numbers[from + i]);
            }
            if (reduction == Reduction.MEAN) {
                return sum / width;
            }
            return reduction == Reduction.L2 ? Math.sqrt(sum) : sum;
        }

        private double term(double value)
        {
            return switch (reduction) {
                case SUM_SQUARE, L2 -> value * value;
                case L1 -> Math.abs(value);
                default -> value;
            };
        }
    }
}
