DROP TABLE report_counters_state;
DROP TABLE report_funnel;
