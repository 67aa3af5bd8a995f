//! A document split into sentences, each knowing the line it starts on.

/// A sentence (or list item, or heading) of a document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unit {
    pub line: usize,
    /// Lower-cased, with line breaks folded into spaces.
    pub text: String,
    /// Whether the unit ends with a colon (a lead-in to a list).
    pub leads_in: bool,
    /// Whether the unit is a list item.
    pub item: bool,
}

fn is_item(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("- ")
        || t.starts_with("* ")
        || t.starts_with("+ ")
        || t.starts_with("• ")
        || t.split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Split a document into units: paragraphs and list items, then sentences.
pub(crate) fn units(text: &str) -> Vec<Unit> {
    let mut blocks: Vec<(usize, String, bool)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        let new_block = trimmed.is_empty() || is_item(line) || trimmed.starts_with('#');
        if trimmed.is_empty() {
            continue;
        }
        match blocks.last_mut() {
            Some(last) if !new_block && !last.1.starts_with('#') => {
                last.1.push('\n');
                last.1.push_str(trimmed);
            }
            _ => blocks.push((i + 1, trimmed.to_string(), is_item(line))),
        }
        // A heading is a unit on its own.
        if trimmed.starts_with('#') {
            blocks.push((i + 2, String::new(), false));
        }
    }
    let mut out = Vec::new();
    for (start, block, item) in blocks {
        if block.trim().is_empty() {
            continue;
        }
        let mut from = 0;
        // Line breaks in the block before `from`, counted as the scan goes, so each
        // unit's line costs nothing extra.
        let mut breaks_before = 0;
        let mut counted_to = 0;
        let chars: Vec<(usize, char)> = block.char_indices().collect();
        for (k, (i, c)) in chars.iter().enumerate() {
            let next_is_space = chars.get(k + 1).is_none_or(|(_, n)| n.is_whitespace());
            // A full stop after a digit is a decimal point unless a space follows.
            if matches!(c, '.' | '!' | '?' | ';') && next_is_space {
                let to = i + c.len_utf8();
                push(
                    &mut out,
                    &block,
                    start,
                    from,
                    to,
                    item,
                    &mut breaks_before,
                    &mut counted_to,
                );
                from = to;
            }
        }
        push(
            &mut out,
            &block,
            start,
            from,
            block.len(),
            item,
            &mut breaks_before,
            &mut counted_to,
        );
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn push(
    out: &mut Vec<Unit>,
    block: &str,
    start: usize,
    from: usize,
    to: usize,
    item: bool,
    breaks_before: &mut usize,
    counted_to: &mut usize,
) {
    let piece = &block[from..to];
    if piece.trim().is_empty() {
        return;
    }
    let skipped_blank = piece.len() - piece.trim_start().len();
    let upto = from + skipped_blank;
    // Count only the bytes not counted yet: every byte of the block is counted once.
    *breaks_before += block[*counted_to..upto].matches('\n').count();
    *counted_to = upto;
    let line = start + *breaks_before;
    let text = piece.trim().replace('\n', " ").to_lowercase();
    out.push(Unit {
        line,
        leads_in: text.ends_with(':'),
        text,
        item,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_keep_the_line_they_start_on() {
        let doc = "# Title\n\nWe are five. We ship\ndaily.\n\n- item one\n- item two: x\nwrapped\n";
        let u = units(doc);
        let pairs: Vec<(usize, &str)> = u.iter().map(|u| (u.line, u.text.as_str())).collect();
        assert_eq!(
            pairs,
            vec![
                (1, "# title"),
                (3, "we are five."),
                (3, "we ship daily."),
                (6, "- item one"),
                (7, "- item two: x wrapped")
            ]
        );
        assert!(u[3].item);
    }

    #[test]
    fn decimals_do_not_end_a_sentence() {
        let u = units("Reviews take 3.8 days on average.");
        assert_eq!(u.len(), 1);
    }
}
