DROP TABLE report_registrations;
DROP TABLE report_applicants;
