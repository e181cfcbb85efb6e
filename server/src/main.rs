//! `relais`: the Relais service and its administration commands.

/// mimalloc instead of glibc's malloc: fewer instructions per allocation
/// (rendering a page makes thousands), and freed memory returned to the
/// system instead of kept in per-thread arenas (`bench/README.md`: the
/// allocator's share of a request, and the peak RSS under load, before and
/// after).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    relais_server::cli::run()
}
