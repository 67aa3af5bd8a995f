//! Who may see and do what on one candidate, decided here and nowhere else.
//!
//! An account stands somewhere on each candidate: assigned to some of its stages
//! (or none), with its own scorecards in for some of them. From that and its
//! role, [`Sight`] answers every question an edge could ask: may this person see
//! the candidate at all, read others' scorecards, the references, the decision,
//! the offer, the e-mail address, this timeline entry; may they score this stage.
//! The rules, as a matrix of data × viewer, are in `docs/architecture.md`.
//!
//! - Nobody reads other people's judgements on a candidate (scorecards,
//!   references, red-flag resolutions, decisions, offers) while they still owe a
//!   scorecard of their own on that candidate; an interviewer reads them only
//!   once they have submitted one ([`multiplier_core::pipeline::may_read_others`]).
//! - An interviewer sees only the candidates they are assigned to; any other
//!   candidate is "not found", exactly like one that does not exist.
//! - Contact details (the e-mail address), offers and onboarding are the hiring
//!   managers' (admins').

use crate::actor::Account;
use multiplier_core::pipeline::{Viewer, ViewerRole, may_read_others};
use multiplier_store::{
    Assignment, AuditEntry, EvidenceRecord, NoteRecord, ReferenceRecord, ScorecardRecord,
};
use serde::Serialize;
use std::collections::BTreeSet;

/// The stage whose interviewer takes the reference calls.
pub const REFERENCES: &str = "references";

/// Keys of an evidence body that hold a tool's verdict.
const AUTOMATIC_VERDICTS: [&str; 2] = ["grade", "analysis"];
/// Keys of an evidence body that hold what the candidate wrote.
const CANDIDATES_WORK: [&str; 2] = ["answers", "review"];

/// Where one account stands on one candidate, and so what it may see and do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sight {
    /// The account's name.
    pub viewer: String,
    /// A hiring manager (admin).
    pub admin: bool,
    /// Stages of this candidate the account is assigned to.
    pub assigned: Vec<String>,
    /// Of those, the stages it has not submitted a scorecard for yet.
    pub pending: Vec<String>,
    /// Why other people's judgements stay hidden from it (the blind rule); `None`
    /// when it may read them.
    pub blind: Option<String>,
}

impl Sight {
    /// Where `account` stands, from the candidate's assignments and scorecards.
    pub fn of(account: &Account, assignments: &[Assignment], cards: &[ScorecardRecord]) -> Sight {
        let submitted: BTreeSet<&str> = cards
            .iter()
            .filter(|c| c.card.interviewer == account.name)
            .map(|c| c.card.stage.as_str())
            .collect();
        Sight::from_parts(account, assignments, &submitted)
    }

    /// Where `account` stands, from the candidate's assignments and the stages
    /// it has a scorecard in for (what a paged list loads per row).
    pub fn from_parts(
        account: &Account,
        assignments: &[Assignment],
        submitted: &BTreeSet<&str>,
    ) -> Sight {
        let assigned: Vec<String> = assignments
            .iter()
            .filter(|a| a.interviewer == account.name)
            .map(|a| a.stage.clone())
            .collect();
        let pending: Vec<String> = assigned
            .iter()
            .filter(|s| !submitted.contains(s.as_str()))
            .cloned()
            .collect();
        let viewer = Viewer {
            name: account.name.clone(),
            role: if account.is_admin() {
                ViewerRole::HiringManager
            } else {
                ViewerRole::Interviewer
            },
            pending: pending.len(),
            submitted: submitted.len(),
        };
        Sight {
            viewer: account.name.clone(),
            admin: account.is_admin(),
            assigned,
            pending,
            blind: may_read_others(&viewer).err().map(|r| r.reason),
        }
    }

    /// Whether the account may see the candidate at all (else: not found).
    pub fn sees_candidate(&self) -> bool {
        self.admin || !self.assigned.is_empty()
    }

    /// Other people's scorecards (your own you always see).
    pub fn sees_others_scorecards(&self) -> bool {
        self.blind.is_none()
    }

    pub fn sees_scorecard(&self, card: &ScorecardRecord) -> bool {
        self.sees_others_scorecards() || card.card.interviewer == self.viewer
    }

    /// References carry scores: hidden like scorecards, except the ones you
    /// recorded yourself.
    pub fn sees_reference(&self, r: &ReferenceRecord) -> bool {
        self.blind.is_none() || (!r.recorded_by.is_empty() && r.recorded_by == self.viewer)
    }

    /// Red-flag resolutions name the flags a colleague raised.
    pub fn sees_resolutions(&self) -> bool {
        self.blind.is_none()
    }

    /// The recorded decisions, their rationale and the policy's verdict.
    pub fn sees_decisions(&self) -> bool {
        self.blind.is_none()
    }

    /// The debrief: every scorecard side by side.
    pub fn sees_debrief(&self) -> bool {
        self.blind.is_none()
    }

    /// Offers and the onboarding plan: hiring managers who may read the decision.
    pub fn sees_offers(&self) -> bool {
        self.admin && self.blind.is_none()
    }

    /// Evidence as this viewer may see it. The tools' verdicts (a review grade,
    /// written-answer flags) are judgements like a colleague's scores: while the
    /// viewer owes a scorecard they are left out, so a wrong automatic grade
    /// cannot anchor a first impression. What the candidate wrote (their answers,
    /// their review) stays: the interviewer may need it to prepare. A record that
    /// is nothing but a tool's verdict is withheld whole (`None`).
    pub fn evidence(&self, mut e: EvidenceRecord) -> Option<EvidenceRecord> {
        if self.blind.is_none() {
            return Some(e);
        }
        let serde_json::Value::Object(body) = &mut e.body else {
            return None;
        };
        let had_verdict = AUTOMATIC_VERDICTS.iter().any(|k| body.remove(*k).is_some());
        let own_words = CANDIDATES_WORK.iter().any(|k| body.contains_key(*k));
        (had_verdict && own_words).then_some(e)
    }

    /// The candidate's e-mail address: hiring managers only (least privilege).
    pub fn sees_email(&self) -> bool {
        self.admin
    }

    /// A staff note: its author always; others under the blind rule, like a
    /// colleague's scorecard (a note is a judgement too).
    pub fn sees_note(&self, n: &NoteRecord) -> bool {
        self.blind.is_none() || n.author == self.viewer
    }

    /// May write a note: whoever may see the candidate (admins, assigned
    /// interviewers).
    pub fn may_note(&self) -> bool {
        self.sees_candidate()
    }

    /// The files the candidate sent (the CV) and the links they gave: hiring
    /// managers only, as a CV carries contact details.
    pub fn sees_files(&self) -> bool {
        self.admin
    }

    /// Why a candidate was rejected (or the note with another status): a
    /// judgement, hidden under the blind rule.
    pub fn sees_status_reason(&self) -> bool {
        self.blind.is_none()
    }

    /// The candidate's portal links and erasure requests.
    pub fn sees_portal(&self) -> bool {
        self.admin
    }

    /// May submit (or amend) a scorecard for `stage`.
    pub fn may_score(&self, stage: &str) -> bool {
        self.admin || self.assigned.iter().any(|s| s == stage)
    }

    /// May record references: whoever takes the reference calls, or an admin.
    pub fn may_record_references(&self) -> bool {
        self.may_score(REFERENCES)
    }

    /// Whether one entry of the candidate's audit trail may be shown: an entry is
    /// visible exactly when the data it speaks of is.
    pub fn sees_entry(&self, e: &AuditEntry) -> bool {
        let action = e.action.as_str();
        match action {
            "candidate.add"
            | "candidate.move"
            | "candidate.edit"
            | "interviewer.assign"
            | "interviewer.unassign"
            | "scorecard.submit"
            | "scorecard.amend"
            | "evidence.attach" => true,
            "candidate.apply" => true,
            "candidate.status" => self.sees_status_reason(),
            "reference.add" | "note.add" => self.blind.is_none() || e.actor == self.viewer,
            "flag.resolve" => self.sees_resolutions(),
            "decision.record" => self.sees_decisions(),
            _ if action.starts_with("offer.") || action.starts_with("onboarding.") => {
                self.sees_offers()
            }
            _ if action.starts_with("portal.") || action.starts_with("candidate.eras") => {
                self.sees_portal()
            }
            // Anything newer than these rules: the hiring managers who see it all.
            _ => self.admin && self.blind.is_none(),
        }
    }
}

/// The scorecard amendments (record ids) made after their interviewer could
/// read other people's scores on the candidate: by then every stage they were
/// assigned to had their card in (the blind rule had let go of them) and a
/// colleague's card was there to read. Such an amendment is no longer an
/// independent first impression, and the debrief says so.
pub fn unblinded_amendments(assignments: &[Assignment], cards: &[ScorecardRecord]) -> Vec<i64> {
    cards
        .iter()
        .filter(|r| r.card.version > 1)
        .filter(|r| {
            let who = r.card.interviewer.as_str();
            let at = r.submitted_at;
            let first_in = |stage: &str| {
                cards
                    .iter()
                    .filter(|c| c.card.interviewer == who && c.card.stage == stage)
                    .map(|c| c.submitted_at)
                    .min()
            };
            let owed_nothing = assignments
                .iter()
                .filter(|a| a.interviewer == who && a.assigned_at <= at)
                .all(|a| first_in(&a.stage).is_some_and(|t| t <= at));
            let others_to_read = cards
                .iter()
                .any(|c| c.card.interviewer != who && c.submitted_at <= at);
            owed_nothing && others_to_read
        })
        .map(|r| r.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;
    use multiplier_core::pipeline::{Recommendation, Scorecard};
    use multiplier_store::{AccountRole, CandidateId};
    use std::collections::BTreeMap;

    fn account(name: &str, role: AccountRole) -> Account {
        Account {
            name: name.into(),
            role,
        }
    }

    fn assigned(name: &str, stage: &str) -> Assignment {
        Assignment {
            assigned_at: Timestamp::UNIX_EPOCH,
            stage: stage.into(),
            interviewer: name.into(),
        }
    }

    fn card(name: &str, stage: &str) -> ScorecardRecord {
        ScorecardRecord {
            id: 1,
            candidate: CandidateId(1),
            card: Scorecard {
                stage: stage.into(),
                interviewer: name.into(),
                scores: BTreeMap::new(),
                notes: BTreeMap::new(),
                red_flags: Vec::new(),
                recommendation: Recommendation::Yes,
                version: 1,
                amendment_reason: None,
            },
            submitted_at: Timestamp::UNIX_EPOCH,
        }
    }

    fn entry(action: &str, actor: &str) -> AuditEntry {
        AuditEntry {
            id: 1,
            at: Timestamp::UNIX_EPOCH,
            actor: actor.into(),
            action: action.into(),
            subject: "candidate:1".into(),
            detail: String::new(),
        }
    }

    #[test]
    fn an_interviewer_who_owes_a_card_sees_no_judgement_of_others() {
        let ana = account("ana", AccountRole::Interviewer);
        let s = Sight::of(
            &ana,
            &[assigned("ana", "code-review")],
            &[card("bo", "leadership")],
        );
        assert!(s.sees_candidate());
        assert!(s.blind.is_some());
        assert_eq!(s.pending, ["code-review"]);
        assert!(!s.sees_scorecard(&card("bo", "leadership")));
        assert!(!s.sees_decisions() && !s.sees_resolutions() && !s.sees_offers());
        assert!(!s.sees_email());
        assert!(!s.sees_entry(&entry("decision.record", "priya")));
        assert!(!s.sees_entry(&entry("flag.resolve", "priya")));
        assert!(!s.sees_entry(&entry("offer.make", "priya")));
        assert!(s.sees_entry(&entry("candidate.move", "priya")));
        assert!(s.may_score("code-review") && !s.may_score("leadership"));
    }

    #[test]
    fn submitting_opens_others_judgements_but_never_offers_or_email_to_an_interviewer() {
        let ana = account("ana", AccountRole::Interviewer);
        let s = Sight::of(
            &ana,
            &[assigned("ana", "code-review")],
            &[card("ana", "code-review"), card("bo", "leadership")],
        );
        assert_eq!(s.blind, None);
        assert!(s.sees_scorecard(&card("bo", "leadership")));
        assert!(s.sees_decisions());
        assert!(!s.sees_offers() && !s.sees_email() && !s.sees_portal());
    }

    #[test]
    fn an_unassigned_interviewer_does_not_see_the_candidate() {
        let cy = account("cy", AccountRole::Interviewer);
        let s = Sight::of(&cy, &[assigned("ana", "code-review")], &[]);
        assert!(!s.sees_candidate());
    }

    #[test]
    fn an_admin_who_owes_a_card_is_blind_and_one_who_does_not_sees_everything() {
        let priya = account("priya", AccountRole::Admin);
        let owing = Sight::of(
            &priya,
            &[assigned("priya", "leadership")],
            &[card("bo", "code-review")],
        );
        assert!(owing.blind.is_some());
        assert!(owing.sees_email(), "contact details are not a judgement");
        assert!(!owing.sees_offers() && !owing.sees_decisions());
        let free = Sight::of(
            &priya,
            &[assigned("ana", "leadership")],
            &[card("ana", "leadership")],
        );
        assert_eq!(free.blind, None);
        assert!(free.sees_offers() && free.sees_portal() && free.may_score("leadership"));
    }

    #[test]
    fn while_blind_a_tools_verdict_is_withheld_and_the_candidates_words_kept() {
        let ana = account("ana", AccountRole::Interviewer);
        let blind = Sight::of(&ana, &[assigned("ana", "code-review")], &[]);
        let open = Sight::of(
            &ana,
            &[assigned("ana", "code-review")],
            &[card("ana", "code-review")],
        );
        let record = |body: serde_json::Value| EvidenceRecord {
            id: 1,
            candidate: CandidateId(1),
            kind: "k".into(),
            source: "s".into(),
            body,
            created_at: Timestamp::UNIX_EPOCH,
        };
        let portal =
            record(serde_json::json!({"review": {"summary": "mine"}, "grade": {"scores": {}}}));
        let shaped = blind.evidence(portal.clone()).expect("the review stays");
        assert_eq!(
            shaped.body,
            serde_json::json!({"review": {"summary": "mine"}})
        );
        assert_eq!(open.evidence(portal.clone()), Some(portal));
        let grade_only = record(serde_json::json!({"scores": {"teaching": 2}, "issues": []}));
        assert_eq!(blind.evidence(grade_only.clone()), None);
        assert!(open.evidence(grade_only).is_some());
    }

    #[test]
    fn the_reference_taker_sees_the_references_they_recorded_and_only_those() {
        let lee = account("lee", AccountRole::Interviewer);
        let s = Sight::of(
            &lee,
            &[assigned("lee", REFERENCES), assigned("lee", "leadership")],
            &[],
        );
        assert!(s.blind.is_some());
        assert!(s.may_record_references());
        let reference = |by: &str| ReferenceRecord {
            id: 1,
            candidate: CandidateId(1),
            reference: multiplier_core::pipeline::Reference {
                kind: multiplier_core::pipeline::ReferenceKind::Engineer,
                name: "x".into(),
                relationship: "y".into(),
                answer: "z".into(),
                example: String::new(),
                scores: BTreeMap::new(),
            },
            recorded_by: by.into(),
            created_at: Timestamp::UNIX_EPOCH,
        };
        assert!(s.sees_reference(&reference("lee")));
        assert!(!s.sees_reference(&reference("priya")));
        assert!(!s.sees_reference(&reference("")));
        assert!(s.sees_entry(&entry("reference.add", "lee")));
        assert!(!s.sees_entry(&entry("reference.add", "priya")));
    }

    #[test]
    fn an_amendment_after_reading_colleagues_scores_is_marked() {
        let at = |secs: i64| Timestamp::from_second(secs).unwrap();
        let version = |id: i64, who: &str, stage: &str, v: u32, t: i64| {
            let mut c = card(who, stage);
            c.id = id;
            c.card.version = v;
            c.submitted_at = at(t);
            c
        };
        let mut a = assigned("ana", "leadership");
        a.assigned_at = at(0);
        let mut b = assigned("ana", "code-review");
        b.assigned_at = at(0);
        let assignments = [a, b];
        let cards = [
            version(1, "ana", "leadership", 1, 10),
            // Amended before anyone else's card was in: still blind.
            version(2, "ana", "leadership", 2, 20),
            version(3, "ben", "technical-depth", 1, 30),
            // Ben's card is in but ana still owes code-review: still blind.
            version(4, "ana", "leadership", 3, 40),
            version(5, "ana", "code-review", 1, 50),
            // Every card of hers in, ben's readable: unblinded.
            version(6, "ana", "leadership", 4, 60),
        ];
        assert_eq!(unblinded_amendments(&assignments, &cards), vec![6]);
    }
}
