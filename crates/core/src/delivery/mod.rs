//! Delivery metrics, pure: deployments, their changes and incidents in; the DORA
//! four keys out, each with its tier from the framework's bands. Where the events
//! come from (git history, CD records) is someone else's business.

mod baseline;
mod change_id;
mod compare;
mod dora;
pub mod input;
mod prs;
mod stats;

pub use baseline::{Baseline, Stat, WindowDates};
pub use change_id::ChangeId;
pub use compare::{Comparison, MetricComparison, Status, compare};
pub use dora::{
    Change, DeliveryReport, Deployment, Failure, Incident, Window, WindowError, report,
};
pub use prs::{PrReport, PullRequest, Review, pr_report};
pub use stats::{Summary, percentile};
