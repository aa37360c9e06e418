DROP TABLE test_data_items;
DROP TABLE test_data_batches;
