//! `relais`: the Relais service and its administration commands.

fn main() -> std::process::ExitCode {
    relais_server::cli::run()
}
