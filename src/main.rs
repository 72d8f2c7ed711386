//! hiyari: audit every enabled region of an AWS account for the mistakes behind real
//! incidents. `main` only parses the command line, sets up logging, turns the outcome
//! into an exit code, and stops the run on SIGINT or SIGTERM (exit 130, 143); the work
//! is in `commands`.

mod cli;
mod collect;
mod commands;
mod config;
mod diff;
mod input;
mod inventory_file;
mod output;
mod policy;
mod report;
mod scan;
mod suggest;

use std::process::ExitCode;

use clap::Parser;

/// Colour on stderr only when it is a terminal and NO_COLOR is unset or empty.
fn stderr_color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // Without -v, only hiyari's own diagnostics: the SDK's warnings (IMDS probes, each
    // credential provider that found nothing) are detail for -v. User-facing warnings
    // are printed as plain `warning: ...` lines, not through tracing.
    let default_filter = match cli.verbose {
        0 => "hiyari=warn",
        1 => "info",
        _ => "debug",
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(stderr_color())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter)),
        )
        .with_target(false)
        .init();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Headroom for the SDK's large request futures (unoptimised builds especially).
        .thread_stack_size(8 << 20)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let outcome = runtime.block_on(async {
        tokio::select! {
            // A command that has finished has written its outputs whole: its outcome
            // stands even if a signal came in the same instant.
            biased;
            r = commands::run(cli) => Ok(r),
            s = interrupted() => Err(s),
        }
    });
    match outcome {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(e)) => {
            // One line, saying what to do; no backtrace.
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
        Err((name, code)) => {
            // Outputs are written only once a command has its whole result, without a
            // pause in between, so an interrupted run has written nothing; exiting here
            // abandons the calls in flight instead of waiting for their deadlines.
            // Exiting skips destructors: the temporary files of the outputs still open
            // are removed here.
            let removed = output::remove_temporaries();
            let cleaned = if removed == 0 {
                String::new()
            } else {
                format!(", {removed} temporary file(s) removed")
            };
            eprintln!(
                "error: interrupted by {name}: stopped{cleaned}, and no report or file was written"
            );
            std::process::exit(code);
        }
    }
}

/// Waits for SIGINT (Ctrl-C) or SIGTERM (a CI runner's timeout, `kill`), and gives the
/// signal's name and the shell's exit code for it (128 + its number).
#[cfg(unix)]
async fn interrupted() -> (&'static str, i32) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut int), Ok(mut term)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        // Without handlers, the signals keep their default action: the process ends.
        return std::future::pending().await;
    };
    tokio::select! {
        _ = int.recv() => ("SIGINT", 130),
        _ = term.recv() => ("SIGTERM", 143),
    }
}

/// Windows has no SIGTERM: Ctrl-C stops the run, with the exit code a
/// shell gives SIGINT.
#[cfg(not(unix))]
async fn interrupted() -> (&'static str, i32) {
    match tokio::signal::ctrl_c().await {
        Ok(()) => ("Ctrl-C", 130),
        // Without a handler, Ctrl-C keeps its default action: the process ends.
        Err(_) => std::future::pending().await,
    }
}
