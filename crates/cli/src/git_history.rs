//! The app's [`HistoryReader`] on `multiplier-git`: how the command line (and
//! the server it starts) lets the use cases read an opening's repository. The
//! app never sees gix; it gets core's delivery events back.

use multiplier_app::{HistoryReader, RepoHistory};
use multiplier_store::{DeployRule, RepoSetting};
use std::path::Path;

/// Reads repositories on this machine with `multiplier-git`.
#[derive(Debug, Clone, Copy, Default)]
pub struct GitHistory;

impl HistoryReader for GitHistory {
    fn read(
        &self,
        setting: &RepoSetting,
        since: Option<jiff::Timestamp>,
    ) -> Result<RepoHistory, String> {
        let mode = match &setting.deploy {
            DeployRule::Tags(glob) => multiplier_git::Mode::Tags(glob.clone()),
            DeployRule::Branch(branch) => multiplier_git::Mode::Branch(branch.clone()),
        };
        let history =
            multiplier_git::read_since(Path::new(&setting.path), &mode, since, &mut |_| {})
                .map_err(|e| e.to_string())?;
        Ok(RepoHistory {
            deployments: history.deployments,
            undeployed: history.undeployed,
            commits: history.commits,
        })
    }
}
