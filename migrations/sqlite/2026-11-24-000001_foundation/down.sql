DROP TABLE idempotency_keys;
DROP TABLE draw_secrets;
DROP TABLE placements;
DROP TABLE platform_roles;
DROP TABLE memberships;
DROP TABLE departments;
DROP TABLE sites;
DROP TABLE organisations;
