//! The pipeline board: candidates grouped into the framework's stages, in order.

use crate::framework::Framework;
use serde::Serialize;

/// One column of the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column<T> {
    /// The stage id.
    pub stage: String,
    /// The stage's name (the id again for a stage the framework no longer has).
    pub name: String,
    pub items: Vec<T>,
}

/// Group `items` by `stage_of` into one column per stage of the framework, in the
/// framework's order, empty columns included. An item at a stage the framework
/// does not have (an edited framework) gets a column of its own at the end, so
/// nobody disappears from the board.
pub fn board<T>(
    framework: &Framework,
    items: impl IntoIterator<Item = T>,
    stage_of: impl Fn(&T) -> &str,
) -> Vec<Column<T>> {
    let mut columns: Vec<Column<T>> = framework
        .stages
        .iter()
        .map(|s| Column {
            stage: s.id.clone(),
            name: s.name.clone(),
            items: Vec::new(),
        })
        .collect();
    for item in items {
        let stage = stage_of(&item).to_string();
        match columns.iter_mut().find(|c| c.stage == stage) {
            Some(column) => column.items.push(item),
            None => columns.push(Column {
                name: stage.clone(),
                stage,
                items: vec![item],
            }),
        }
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_in_order_and_unknown_stages_kept_at_the_end() {
        let fw = Framework::default_framework().unwrap();
        let items = vec![
            ("a", "offer"),
            ("b", "screen"),
            ("c", "retired-stage"),
            ("d", "screen"),
        ];
        let cols = board(&fw, items, |i| i.1);
        let ids: Vec<&str> = cols.iter().map(|c| c.stage.as_str()).collect();
        let mut expected: Vec<&str> = fw.stages.iter().map(|s| s.id.as_str()).collect();
        expected.push("retired-stage");
        assert_eq!(ids, expected);
        assert_eq!(cols[0].items, [("b", "screen"), ("d", "screen")]);
        let offer = cols.iter().find(|c| c.stage == "offer").unwrap();
        assert_eq!(offer.items, [("a", "offer")]);
        assert_eq!(cols.last().unwrap().name, "retired-stage");
    }
}
