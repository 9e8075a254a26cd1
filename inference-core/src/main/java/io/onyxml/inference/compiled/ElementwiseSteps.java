package io.onyxml.inference.compiled;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Element-wise steps over broadcast operands. Results of float values are rounded to float, as ONNX Runtime
 * computes them in float.
 */
final class ElementwiseSteps
{
    private ElementwiseSteps() {}

    record Unary(int input, int output, int size, DoubleUnaryOperator function, boolean toFloat)
            implements Step
    {
        @Override
        public void run(Frame frame)
        {
            double[] numbers = frame.numbers;
            if (toFloat) {
                for (int i = 0; i < size; i++) {
                    numbers[output + i] = (float) function.applyAsDouble(numbers[input + i]);
                }
            }
            else {
                for (int i = 0; i < size; i++) {
                    numbers[output + i] = function.applyAsDouble(numbers[input + i]);
                }
            }
        }
    }

    record Relu(int input, int output, int size)
            implements Step
    {
        @Override
        public void run(Frame frame)
        {
            double[] numbers = frame.numbers;
            for (int i = 0; i < size; i++) {
                double value = numbers[input + i];
                // NaN stays NaN, as in ONNX Runtime
                numbers[output + i] = value < 0 ? 0 : value;
            }
        }
    }

    record Binary(int left, int[] leftIndex, int right, int[] rightIndex, int output, DoubleBinaryOperator function, boolean toFloat)
            implements Step
    {
        @Override
        public void run(Frame frame)
        {
            double[] numbers = frame.numbers;
            int size = leftIndex.length;
            for (int i = 0; i < size; i++) {
                double result = function.applyAsDouble(numbers[left + leftIndex[i]], numbers[right + rightIndex[i]]);
                numbers[output + i] = toFloat ? (float) result : result;
            }
        }
    }

    /**
     * A row value plus a constant of the same shape (a bias), the most common binary node.
     */
    record AddSameShape(int left, int right, int output, int size, boolean toFloat)
            implements Step
    {
        @Override
        public void run(Frame frame)
        {
            double[] numbers = frame.numbers;
            if (toFloat) {
                for (int i = 0; i < size; i++) {
                    numbers[output + i] = (float) (numbers[left + i] + numbers[right + i]);
                }
            }
            else {
                for (int i = 0; i < size; i++) {
                    numbers[output + i] = numbers[left + i] + numbers[right + i];
                }
            }
        }
    }

    record Where(int condition, int[] conditionIndex, int whenTrue, int[] trueIndex, int whenFalse, int[] falseIndex, int output, boolean text)
            implements Step
    {
        @Override
        public void run(Frame frame)
        {
            double[] numbers = frame.numbers;
            int size = conditionIndex.length;
            for (int i = 0; i < size; i++) {
                boolean chosen = numbers[condition + conditionIndex[i]] != 0;
                if (text) {
                    frame.texts[output + i] = chosen ? frame.texts[whenTrue + trueIndex[i]] : frame.texts[whenFalse + falseIndex[i]];
                }
                else {
                    numbers[output + i] = chosen ? numbers[whenTrue + trueIndex[i]] : numbers[whenFalse + falseIndex[i]];
                }
            }
        }
    }

    /**
     * Copies values from one place of the frame to another: Concat's inputs into its output, Gather's picks.
     */
    record Copy(int[] sources, int[] targets, boolean text)
            implements Step
    {
        @Override
        public void run(Frame frame)
        {
            if (text) {
                for (int i = 0; i < sources.length; i++) {
                    frame.texts[targets[i]] = frame.texts[sources[i]];
                }
                return;
            }
            double[] numbers = frame.numbers;
            for (int i = 0; i < sources.length; i++) {
                numbers[targets[i]] = numbers[sources[i]];
            }
        }
    }
}
