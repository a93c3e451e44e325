//! The `recall` binary: the CLI when given a subcommand, the app otherwise.

use std::process::ExitCode;

use clap::Parser;
use recall::cli::{self, Cli};
use recall::study::Paths;

fn main() -> ExitCode {
    env_logger::init();
    let mut cli = Cli::parse();
    match cli.command.take() {
        Some(command) => cli::run(cli, command),
        None => match Paths::resolve(cli.data_dir, cli.decks) {
            Ok(paths) => recall::ui::run(paths),
            Err(e) => {
                eprintln!("recall: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
