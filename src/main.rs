//! The `recall` binary: the CLI when given a subcommand, the app otherwise.

use std::process::ExitCode;

use clap::Parser;
use recall::cli::{self, Cli};
use recall::study::Paths;

fn main() -> ExitCode {
    keep_big_buffers_out_of_the_heap();
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

/// Makes glibc give every buffer of 128 KiB or more its own mapping, which
/// goes back to the system when freed. By default glibc raises that
/// threshold to the size of each big buffer freed, up to 32 MiB: after the
/// decks and the review log are read, their freed buffers then stay in the
/// heap, and a start that rebuilds the deck cache peaked about 14 MB higher.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_big_buffers_out_of_the_heap() {
    // SAFETY: mallopt takes two integers and only changes an allocator
    // setting; it is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_big_buffers_out_of_the_heap() {}
