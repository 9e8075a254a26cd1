package io.onyxml.training.kmeans;

/**
 * Nearest-centre search, shared by training and by the Java scoring of the metrics.
 */
final class Centres
{
    private Centres() {}

    static double squaredDistance(double[] row, double[] centre)
    {
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            double difference = row[i] - centre[i];
            sum += difference * difference;
        }
        return sum;
    }

    /**
     * The index of the nearest centre (the first on a tie); its squared distance is written to {@code distance[0]}.
     */
    static int nearest(double[] row, double[][] centres, double[] distance)
    {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int cluster = 0; cluster < centres.length; cluster++) {
            double value = squaredDistance(row, centres[cluster]);
            if (value < bestDistance) {
                bestDistance = value;
                best = cluster;
            }
        }
        distance[0] = bestDistance;
        return best;
    }
}
