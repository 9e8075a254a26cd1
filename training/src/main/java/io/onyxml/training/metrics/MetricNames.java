package io.onyxml.training.metrics;

/**
 * The keys of the metrics maps that training and evaluation return.
 */
public final class MetricNames
{
    public static final String R2 = "r2";
    public static final String RMSE = "rmse";
    public static final String MAE = "mae";
    public static final String ACCURACY = "accuracy";
    public static final String LOG_LOSS = "log_loss";
    public static final String AUC = "auc";
    public static final String F1_MACRO = "f1_macro";
    public static final String INERTIA = "inertia";

    private MetricNames() {}
}
