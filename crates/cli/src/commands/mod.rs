//! One module per subcommand, each a clap `Cmd` with `run()`.

pub mod answers;
pub mod ats;
pub mod audit;
pub mod backup;
pub mod candidate;
pub mod decision;
pub mod demo;
pub mod exercise;
pub mod framework;
pub mod hiring;
pub mod interview;
pub mod jd;
pub mod mail;
pub mod metrics;
pub mod migrate;
pub mod offer;
pub mod onboarding;
pub mod opening;
pub mod report;
pub mod retention;
pub mod review;
pub mod role;
pub mod serve;
pub mod token;
pub mod tour;
pub mod user;
