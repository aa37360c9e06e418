DROP TABLE report_applicants;
