//! hiyari: audit every enabled region of an AWS account for the mistakes behind real
//! incidents. `main` only parses the command line, sets up logging and turns the
//! outcome into an exit code; the work is in `commands`.

mod cli;
mod collect;
mod commands;
mod config;
mod diff;
mod input;
mod report;

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
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // One line, saying what to do; no backtrace.
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
