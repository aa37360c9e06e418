//! API tests: each starts the real application on its own database (SQLite by default; PostgreSQL
//! when WEX_TEST_DATABASE_URL is set) and talks to it over HTTP.

mod support;

mod conventions;
