//! `wex`: the NHS work experience platform's API server and its tools.

mod config;
mod demo_data;
mod email_config;
mod key_config;
mod retention_config;
mod settings;
mod startup;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;
use uuid::Uuid;
use wex_domain::model::auth::Role;

use config::{Config, Mode};

#[derive(Parser)]
#[command(name = "wex", version, about = "The NHS work experience platform API", long_about = None)]
#[command(after_help = "Configuration comes from WEX_* environment variables: see docs/configuration.md.")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API server (the default). Migrates the database first.
    Serve {
        /// Replace everything in the database with the demo data (as `wex demo-data` does) before
        /// serving. Sandbox mode only.
        #[arg(long)]
        demo_data: bool,
    },
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Print the OpenAPI document generated from the code.
    Openapi {
        /// Write it to this file instead of standard output.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// Print a sandbox bearer token (sandbox mode only), recording the grant the role needs.
    Token {
        /// applicant, advocate, coordinator, host, analyst or admin.
        #[arg(long)]
        role: String,
        /// Who the token is for, such as coordinator-1.
        #[arg(long)]
        subject: String,
        /// The organisation, for coordinator and host tokens.
        #[arg(long)]
        organisation: Option<Uuid>,
        /// Lifetime in seconds (default eight hours).
        #[arg(long, default_value_t = 8 * 60 * 60)]
        expires_in: i64,
    },
    /// Replace everything in the database with the synthetic demo data: organisations, placements,
    /// applicants and a finished round of applications. Sandbox mode only.
    DemoData,
    /// Run the scheduler and the email delivery worker without serving HTTP: draws placements when
    /// applications close, sends reminders and delivers the outbox.
    Worker,
    /// Apply the retention policy once (WEX_RETENTION_*) and exit: purge the personal data that
    /// has expired, warn inactive accounts, erase those warned and not used since, and print the counts.
    Retention,
    /// Count every application into the report counters again, from scratch, and exit. The
    /// counters are kept as applications change and rebuilt when a release counts differently;
    /// this is for an operator who has changed applications by hand in the database.
    RebuildReportCounters,
}

fn init_logging() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .format(|buf, record| {
            let request =
                wex_http::request_id::current_request_id().map(|id| format!(" request_id={id}")).unwrap_or_default();
            writeln!(
                buf,
                "{} {:<5} {}{} {}",
                buf.timestamp_micros(),
                record.level(),
                record.target(),
                request,
                record.args()
            )
        })
        .init();
}

fn sandbox_only(config: &Config, what: &str) -> Result<(), String> {
    if config.mode == Mode::Sandbox {
        Ok(())
    } else {
        Err(format!("{what} is available in sandbox mode only (WEX_MODE=sandbox)"))
    }
}

fn load_demo_data(config: &Config, store: &wex_persistence::DbStore) -> Result<(), String> {
    sandbox_only(config, "demo data")?;
    let s = demo_data::load(store, wex_domain::now())?;
    log::info!(
        "demo data (replacing everything in the database): {} organisations, {} sites, {} departments, {} placements, \
         {} applicants, {} applications; {} past placements drawn, {} places accepted, {} attended, {} completed, \
         {} feedback surveys",
        s.organisations,
        s.sites,
        s.departments,
        s.placements,
        s.applicants,
        s.applications,
        s.drawn,
        s.accepted,
        s.attended,
        s.completed,
        s.feedback
    );
    Ok(())
}

async fn run(cli: Cli) -> Result<(), String> {
    let command = cli.command.unwrap_or(Command::Serve { demo_data: false });
    if let Command::Openapi { output } = &command {
        let doc = wex_http::openapi::document();
        return match output {
            Some(path) => std::fs::write(path, doc).map_err(|e| format!("{}: {e}", path.display())),
            None => std::io::stdout().write_all(doc.as_bytes()).map_err(|e| e.to_string()),
        };
    }
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let store = startup::store(&config)?;
    match command {
        Command::Serve { demo_data } => {
            if demo_data {
                load_demo_data(&config, &store)?;
            }
            startup::serve(config, store).await
        }
        Command::Migrate => Ok(()),
        Command::DemoData => load_demo_data(&config, &store),
        Command::Worker => startup::work(config, store).await,
        Command::Retention => startup::retain(config, store).await,
        Command::RebuildReportCounters => {
            let started = std::time::Instant::now();
            let rows =
                store.rebuild_report_counters().map_err(|e| format!("cannot rebuild the report counters: {e}"))?;
            println!("report counters rebuilt: {rows} rows in {} ms", started.elapsed().as_millis());
            Ok(())
        }
        Command::Token { role, subject, organisation, expires_in } => {
            sandbox_only(&config, "minting tokens")?;
            let role = Role::parse(&role).ok_or_else(|| {
                let codes: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
                format!("--role: expected one of {}", codes.join(", "))
            })?;
            let auth = startup::authenticator(&config)?;
            wex_domain::grants::ensure_sandbox_grant(&store, &subject, role, organisation, wex_domain::now())
                .map_err(|e| format!("cannot record the grant: {e:?}"))?;
            let (token, _) =
                auth.mint(subject.trim(), role, organisation, expires_in).ok_or("could not mint a token")?;
            println!("{token}");
            Ok(())
        }
        Command::Openapi { .. } => Ok(()),
    }
}

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            log::error!("{message}");
            eprintln!("wex: {message}");
            ExitCode::FAILURE
        }
    }
}
