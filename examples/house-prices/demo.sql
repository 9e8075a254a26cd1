-- The Onyx demo, run by bin/onyx-trino. The functions live in ml.system; the server's sql.path lets us call them
-- without that prefix.

-- The model catalog
SELECT name, latest_version, aliases, task, description FROM ml.system.models;

-- Some houses to price
CREATE TABLE IF NOT EXISTS memory.default.houses AS
SELECT * FROM (VALUES
    (1, 85e0, 2, 12e0, 3.5e0, 'lyon'),
    (2, 120e0, 3, 5e0, 8e0, 'lyon'),
    (3, 45e0, 1, 40e0, 1.2e0, 'paris'),
    (4, 200e0, 5, 2e0, 15e0, 'nantes'),
    (5, 60e0, 2, NULL, 4e0, 'paris'),
    (6, 95e0, 3, 25e0, 0.5e0, 'lille'))
AS t (id, area_m2, bedrooms, age_years, distance_km, city);

-- The scalar function, anywhere in a query: features in the model's order (a NULL feature gives NULL)
SELECT id, city, predict('house-prices@production', area_m2, bedrooms, age_years, distance_km) AS price_k
FROM memory.default.houses
ORDER BY id;

-- The table function scores the whole table in batches, binding columns to the model's features by name
SELECT *
FROM TABLE(predict(input => TABLE(memory.default.houses), model => 'house-prices@production'))
ORDER BY id;

-- Where the model runs on each node
SELECT node_id, name, version, device FROM ml.system.loaded_models;

-- Train a model in SQL: a new version in the store, with its preprocessing inside the ONNX file
SELECT model, training_rows, metrics['r2'] AS r2, test_metrics['r2'] AS test_r2
FROM TABLE(train_model(
    input => TABLE(SELECT quantity, discount, shipmode, extendedprice FROM tpch.tiny.lineitem),
    model => 'lineitem-price',
    label => 'extendedprice',
    algorithm => 'gradient_boosted_trees',
    options => 'num_trees=50, max_depth=6, test_fraction=0.2'));

-- Score the new version, and measure it on other rows
SELECT orderkey, linenumber, extendedprice, prediction
FROM TABLE(predict(input => TABLE(SELECT orderkey, linenumber, quantity, discount, shipmode, extendedprice FROM tpch.tiny.lineitem), model => 'lineitem-price'))
ORDER BY orderkey, linenumber
LIMIT 5;

SELECT rows, metrics
FROM TABLE(evaluate(input => TABLE(SELECT quantity, discount, shipmode, extendedprice FROM tpch.sf1.lineitem WHERE orderkey < 100000), model => 'lineitem-price', label => 'extendedprice'));
