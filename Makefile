# Common tasks. Every target is a plain cargo command, so nothing here is needed to work on wex.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test test-postgres lint fmt openapi check-openapi check-deps ts-client bench bench-http bench-processes deploy-local bench-national ci

run: ## Serve on SQLite in sandbox mode with demo data (docs at http://127.0.0.1:8080/docs/)
	cargo run --bin wex -- serve --demo-data

test: ## The whole test suite on SQLite
	cargo test --workspace

test-postgres: ## The same suites against PostgreSQL, one schema per test
	WEX_TEST_DATABASE_URL=$(PG_TEST_URL) cargo test --workspace

lint: ## Formatting and clippy, warnings as errors
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

fmt:
	cargo fmt --all

openapi: ## Regenerate the committed OpenAPI document from the code
	cargo run -q --bin wex -- openapi --output openapi/openapi.json

check-openapi: ## Fail when the committed OpenAPI document differs from the code
	cargo run -q --bin wex -- openapi | diff -u openapi/openapi.json -

ts-client: ## Generate the TypeScript client, type-check the example against it and run it on a sandbox server
	.ci/typescript-client

check-deps: ## wex-domain must depend on neither actix-web, diesel nor utoipa
	.ci/check-domain-deps

bench: ## Benchmarks (release build)
	cargo bench -p wex-domain
	.ci/start-postgres
	cargo bench -p wex-persistence --features testing --bench reports
	cargo bench -p wex-mail --features testing --bench delivery
	cargo bench -p wex-mail --features testing --bench webhooks

bench-http: ## Main endpoints over HTTP (reads, search, dashboard, apply, accept) on PostgreSQL and SQLite against the database's own rate on the same SQL, with p99 at half peak and memory (release build; bench/http --help)
	bench/http

bench-processes: ## Reads with 1, 2 and 3 wex serve processes through PgBouncer, both pool modes, and the write limit's cost (bench/processes)
	bench/processes

deploy-local: ## PostgreSQL, PgBouncer, three wex serve and a wex worker on loopback until Ctrl-C (deploy/local --help)
	deploy/local --demo-data

bench-national: ## A national year through the use cases, drawn by the scheduler, against pgbench writing the same rows (release; sizes in docs/performance.md)
	.ci/start-postgres
	cargo bench -p wex-server --bench national

ci: ## What CI runs
	.ci/run
