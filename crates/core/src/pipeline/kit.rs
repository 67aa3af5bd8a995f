//! The interview kit for a stage: who, the questions, what good looks like, the red
//! flags to watch for and the rubric, gathered from the framework.

use crate::framework::{FlagKind, Framework, Severity, Signal};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KitFlag {
    pub id: String,
    pub title: String,
    pub kind: FlagKind,
    pub severity: Severity,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kit {
    pub stage: String,
    pub name: String,
    pub position: usize,
    pub purpose: String,
    pub participants: Vec<String>,
    pub signals: Vec<Signal>,
    pub minutes: Option<u32>,
    pub questions: Vec<String>,
    pub good: Vec<String>,
    pub red_flags: Vec<KitFlag>,
    /// (score, anchor) from 1 to 4.
    pub rubric: Vec<(u8, String)>,
}

/// The kit for `stage`, or the list of stage ids when it does not exist.
pub fn kit(framework: &Framework, stage: &str) -> Result<Kit, Vec<String>> {
    let Some((position, s)) = framework
        .stages
        .iter()
        .enumerate()
        .find(|(_, s)| s.id == stage)
    else {
        return Err(framework.stages.iter().map(|s| s.id.clone()).collect());
    };
    let red_flags = s
        .red_flags
        .iter()
        .filter_map(|id| framework.red_flag(id))
        .map(|f| KitFlag {
            id: f.id.clone(),
            title: f.title.clone(),
            kind: f.kind,
            severity: f.severity,
            description: f.description.clone(),
        })
        .collect();
    let rubric = (1..=4u8)
        .filter_map(|n| s.rubric.get(&n.to_string()).map(|a| (n, a.clone())))
        .collect();
    Ok(Kit {
        stage: s.id.clone(),
        name: s.name.clone(),
        position: position + 1,
        purpose: s.purpose.clone(),
        participants: s.participants.clone(),
        signals: s.signals.clone(),
        minutes: s.minutes,
        questions: s.questions.clone(),
        good: s.good.clone(),
        red_flags,
        rubric,
    })
}
