ALTER TABLE certificates DROP COLUMN t_level_quarter_hours;
DROP TABLE t_level_reviews;
DROP TABLE t_level_hours;
DROP TABLE t_level_agreements;
