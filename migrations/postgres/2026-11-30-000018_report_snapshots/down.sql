DROP TABLE report_answers;
DROP TABLE report_characteristics;
