//! API tests: each starts the real application on its own database (SQLite by default; PostgreSQL
//! when WEX_TEST_DATABASE_URL is set) and talks to it over HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod advocates;
mod applying;
mod audit;
mod client_access;
mod clients;
mod clock;
mod conventions;
mod copies;
mod counters;
mod disclosure;
mod draws;
mod enrolment;
mod equality;
mod erasure;
mod events;
mod export;
mod feed;
mod frozen_reports;
mod grants;
mod hardening;
mod imports;
mod input;
mod metrics;
mod offers;
mod organisations;
mod outage;
mod participation;
mod placements;
mod proposals;
mod providers;
mod queries;
mod reach;
mod readiness;
mod readiness_managed;
mod receipts;
mod reports;
mod reports_access;
mod retention;
mod routes;
mod search;
mod t_level;
mod t_level_hours;
mod t_level_journey;
mod t_level_report;
mod team;
mod test_data;
mod tokens;
mod webhook_rotation;
mod webhooks;
