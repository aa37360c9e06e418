DROP TABLE team_contacts;
