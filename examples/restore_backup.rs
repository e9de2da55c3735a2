//! Restores a Redis database from a backup.
//!
//! ```text
//! cargo run --example restore_backup                       # against a local mock
//! cargo run --example restore_backup -- --db-id DB --backup-id BACKUP [--yes]
//! ```
//!
//! Without credentials (or without both IDs) it starts a mock of the API on
//! 127.0.0.1, restores against it and prints the request it sent and the
//! answer. With credentials (`UPSTASH_EMAIL`/`UPSTASH_API_KEY` or `upstash
//! login`) and both IDs it calls the real API, after asking for
//! confirmation (`--yes` skips it), because a restore overwrites the database.

use std::io::{BufRead as _, Write as _};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use upstash_api::mock::{MockApi, MockServerExt};
use upstash_api::{Client, Credentials, CredentialsError, Error};

struct Args {
    db_id: Option<String>,
    backup_id: Option<String>,
    yes: bool,
}

const USAGE: &str = "usage: restore_backup [--db-id ID --backup-id ID] [--yes]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        db_id: None,
        backup_id: None,
        yes: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--db-id" => args.db_id = Some(it.next().ok_or("--db-id needs a value")?),
            "--backup-id" => args.backup_id = Some(it.next().ok_or("--backup-id needs a value")?),
            "--yes" | "-y" => args.yes = true,
            "--help" | "-h" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(args)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let outcome = match (
        Credentials::from_environment(),
        &args.db_id,
        &args.backup_id,
    ) {
        (Ok(credentials), Some(db_id), Some(backup_id)) => {
            against_the_api(credentials, db_id, backup_id, args.yes).await
        }
        (Ok(credentials), _, _) => {
            println!(
                "Credentials found for {}, but --db-id and --backup-id were not both given: \
                 using a local mock instead of the real API.\n",
                credentials.email()
            );
            against_a_mock(&args).await
        }
        (Err(CredentialsError::NotFound { .. }), _, _) => {
            println!("No Upstash credentials found: using a local mock of the API.\n");
            against_a_mock(&args).await
        }
        (Err(e), _, _) => Err(Error::Credentials(e)),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn against_the_api(
    credentials: Credentials,
    db_id: &str,
    backup_id: &str,
    yes: bool,
) -> Result<(), Error> {
    let client = Client::builder().credentials(credentials).build()?;
    println!(
        "This restores database {db_id} from backup {backup_id} at {} as {}.\n\
         The database's current data will be overwritten.",
        client.base_url(),
        client.credentials().email()
    );
    if !yes && !confirmed() {
        println!("Not restored.");
        return Ok(());
    }
    client.restore_backup(db_id, backup_id).await?;
    println!("Restored database {db_id} from backup {backup_id}.");
    Ok(())
}

fn confirmed() -> bool {
    print!("Type `yes` to continue: ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let read = std::io::stdin().lock().read_line(&mut answer);
    read.is_ok() && answer.trim() == "yes"
}

async fn against_a_mock(args: &Args) -> Result<(), Error> {
    let db_id = args.db_id.as_deref().unwrap_or("6f1c2b8e-demo-db");
    let backup_id = args.backup_id.as_deref().unwrap_or("backup-2026-11-27");
    let api = MockApi::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let restore = api.server().restore_backup(|when, then| {
        api.require_auth(when.into_inner()).is_true(move |request| {
            if let Ok(mut seen) = record.lock() {
                seen.push(describe(request));
            }
            true
        });
        then.success(200, "OK");
    });

    let client = api.client()?;
    println!("Mock API listening at {}", client.base_url());
    let outcome = client.restore_backup(db_id, backup_id).await;

    for request in seen.lock().map(|s| s.clone()).unwrap_or_default() {
        println!("\nSent:\n{request}");
    }
    println!("\nAnswer: 200 \"OK\"");
    match &outcome {
        Ok(()) => println!("Result: restored database {db_id} from backup {backup_id} (mock)."),
        Err(e) => println!("Result: {e}"),
    }
    println!("Requests the mock received: {}", restore.calls());
    outcome
}

/// The request as text, with the Authorization value redacted.
fn describe(request: &httpmock::HttpMockRequest) -> String {
    let mut text = format!("  {} {}\n", request.method_str(), request.uri().path());
    let mut headers: Vec<_> = request.headers_vec().clone();
    headers.sort();
    for (name, value) in headers {
        let value = if name.eq_ignore_ascii_case("authorization") {
            "Basic <redacted>".to_string()
        } else {
            value
        };
        text.push_str(&format!("  {name}: {value}\n"));
    }
    text.push_str(&format!("  body: {}", request.body_string()));
    text
}
