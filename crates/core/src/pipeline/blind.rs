//! Blind feedback: nobody reads other people's scorecards on a candidate while
//! they still owe their own, so every first impression is independent.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ViewerRole {
    HiringManager,
    Interviewer,
}

/// Who wants to read, and where they stand on this candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Viewer {
    pub name: String,
    pub role: ViewerRole,
    /// Stages of this candidate the viewer is assigned to and has not yet submitted.
    pub pending: usize,
    /// Scorecards the viewer has submitted for this candidate.
    pub submitted: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{name} cannot read other scorecards on this candidate yet: {reason}")]
pub struct BlindRefusal {
    pub name: String,
    pub reason: String,
}

/// Whether `viewer` may read other interviewers' scorecards on a candidate.
///
/// - Anyone with a pending assignment on the candidate is refused until it is
///   submitted.
/// - An interviewer must have submitted a scorecard for the candidate.
/// - A hiring manager who does not interview this candidate may read them all (to
///   prepare the debrief); one who does follows the interviewer rule.
pub fn may_read_others(viewer: &Viewer) -> Result<(), BlindRefusal> {
    let refuse = |reason: String| {
        Err(BlindRefusal {
            name: viewer.name.clone(),
            reason,
        })
    };
    if viewer.pending > 0 {
        return refuse(format!(
            "{} of their own scorecard(s) for this candidate are not submitted yet",
            viewer.pending
        ));
    }
    match viewer.role {
        ViewerRole::Interviewer if viewer.submitted == 0 => {
            refuse("they have not submitted a scorecard for this candidate".to_string())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(role: ViewerRole, pending: usize, submitted: usize) -> Viewer {
        Viewer {
            name: "sam".into(),
            role,
            pending,
            submitted,
        }
    }

    #[test]
    fn an_interviewer_reads_others_only_after_submitting_their_own() {
        assert!(may_read_others(&viewer(ViewerRole::Interviewer, 1, 0)).is_err());
        assert!(may_read_others(&viewer(ViewerRole::Interviewer, 0, 0)).is_err());
        assert!(
            may_read_others(&viewer(ViewerRole::Interviewer, 1, 1)).is_err(),
            "one stage still owed"
        );
        assert!(may_read_others(&viewer(ViewerRole::Interviewer, 0, 1)).is_ok());
    }

    #[test]
    fn a_hiring_manager_who_interviews_is_blind_too() {
        assert!(may_read_others(&viewer(ViewerRole::HiringManager, 0, 0)).is_ok());
        let err = may_read_others(&viewer(ViewerRole::HiringManager, 1, 0)).expect_err("refused");
        assert!(err.to_string().contains("not submitted"));
    }
}
