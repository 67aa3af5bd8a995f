//! What a candidate reads of a Markdown posting: the text with HTML comments, HTML
//! tags, code (fenced blocks and inline spans), link targets, bare URLs and link
//! reference definitions blanked out. Blanking keeps every byte offset and every
//! line break, so findings on the prose still point at the right line of the file.
//! One pass over the text (each construct is found by scanning forward from where the
//! last one ended).

use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

static BARE_URL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:https?|ftp)://[^\s)>\]]+|www\.[^\s)>\]]+").ok());
static TAG: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>").ok());
static REFERENCE_DEFINITION: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?m)^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$").ok());

/// Blank `range` of `bytes` (line breaks stay).
fn blank(bytes: &mut [u8], range: Range<usize>) {
    for b in bytes.get_mut(range).into_iter().flatten() {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// The posting as prose: same length and lines as `text`, with everything a
/// candidate does not read as prose replaced by spaces.
pub(crate) fn prose(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();

    // HTML comments, possibly over several lines.
    let mut from = 0;
    while let Some(start) = text.get(from..).and_then(|t| t.find("<!--")) {
        let start = from + start;
        let end = text
            .get(start + 4..)
            .and_then(|t| t.find("-->"))
            .map_or(text.len(), |e| start + 4 + e + 3);
        blank(&mut bytes, start..end);
        from = end;
    }

    // Fenced code blocks and inline code spans, line by line.
    let mut offset = 0;
    let mut fence: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => {
                fence = Some(m);
                blank(&mut bytes, offset..offset + line.len());
            }
            (Some(open), Some(m)) if open == m => {
                fence = None;
                blank(&mut bytes, offset..offset + line.len());
            }
            (Some(_), _) => blank(&mut bytes, offset..offset + line.len()),
            (None, None) => {
                let mut tick: Option<usize> = None;
                for (i, c) in line.char_indices() {
                    if c == '`' {
                        match tick {
                            None => tick = Some(i),
                            Some(s) => {
                                blank(&mut bytes, offset + s..offset + i + 1);
                                tick = None;
                            }
                        }
                    }
                }
            }
        }
        offset += line.len();
    }

    // Link targets: `[text](target)` and `![alt](target)` keep the text, lose the
    // target; `<https://...>` autolinks, bare URLs and reference definitions go.
    let mut i = 0;
    let raw = text.as_bytes();
    while let Some(k) = text.get(i..).and_then(|t| t.find("](")) {
        let open = i + k + 1;
        let close = raw
            .get(open..)
            .and_then(|rest| rest.iter().position(|&b| b == b')' || b == b'\n'))
            .map_or(text.len(), |p| open + p + 1);
        blank(&mut bytes, open..close);
        i = close.max(open + 1);
    }
    for re in [&REFERENCE_DEFINITION, &BARE_URL, &TAG] {
        if let Some(re) = re.as_ref() {
            for m in re.find_iter(text) {
                blank(&mut bytes, m.range());
            }
        }
    }

    // Only ASCII delimiters were used to find ranges and whole ranges were blanked,
    // so the bytes are still UTF-8; fall back to the text itself if not.
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_code_links_and_urls_are_blanked_with_lines_kept() {
        let text = "<!-- aggressive\nninja -->\n# Lead\nSee [our blog](https://x.com/rockstar-ninja) \
                    and `ninja-cli`.\n```\nfast-paced\n```\nVisit https://y.com/dominant now. <br/>\n\
                    [ref]: https://z.com/aggressive\nDone.";
        let p = prose(text);
        assert_eq!(p.len(), text.len());
        assert_eq!(p.lines().count(), text.lines().count());
        for gone in [
            "aggressive",
            "ninja",
            "rockstar",
            "fast-paced",
            "dominant",
            "<br/>",
            "z.com",
        ] {
            assert!(!p.contains(gone), "{gone} still in {p:?}");
        }
        for kept in ["# Lead", "our blog", "Visit", "now.", "Done."] {
            assert!(p.contains(kept), "{kept} lost from {p:?}");
        }
    }

    #[test]
    fn an_unclosed_comment_or_fence_blanks_to_the_end_without_panicking() {
        let p = prose("keep\n<!-- open\nstill hidden");
        assert!(p.starts_with("keep") && !p.contains("hidden"));
        let p = prose("keep\n```\ncode é");
        assert!(p.starts_with("keep") && !p.contains("code"));
        assert_eq!(prose("é ü `ß` [a](ç)").len(), "é ü `ß` [a](ç)".len());
    }
}
