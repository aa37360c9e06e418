DROP TABLE equality_responses;
