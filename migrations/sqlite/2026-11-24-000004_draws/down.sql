DROP TABLE draw_entries;
DROP TABLE draws;
