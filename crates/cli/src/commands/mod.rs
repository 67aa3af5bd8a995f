//! One module per subcommand, each a clap `Cmd` with `run()`.

pub mod framework;
pub mod jd;
pub mod role;
pub mod tour;
