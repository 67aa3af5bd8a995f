//! Words, word patterns and sentences: the small text machinery the grader and the
//! answer analyzer share.
//!
//! A text is split into lower-case *tokens*: runs of letters, digits and `_ + #`,
//! with `.` and `'` kept when they sit between two letters or digits (so
//! `os.environ`, `n+1` and `don't` are single tokens, and a full stop is not part of
//! the word before it). `n + 1` is folded into `n+1`.
//!
//! A *pattern* is a word or a phrase from a list (`"because"`, `"at scale"`,
//! `"saturat*"`). It matches consecutive tokens; a pattern word ending in `*` matches
//! any token that starts with it, any other word matches one token exactly — unless
//! the pattern was compiled with a prefix length, in which case every word at least
//! that long also matches as a prefix (exercise concepts use this: `eager load`
//! matches "eager loading").

use crate::source::LineIndex;
use std::ops::Range;

/// One lower-case token and where it sits in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub text: String,
    pub span: Range<usize>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '+' | '#')
}

/// The tokens of `text`, lower-cased, with their byte spans.
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out: Vec<Token> = Vec::new();
    let mut start: Option<usize> = None;
    for (k, &(i, c)) in chars.iter().enumerate() {
        let joiner = matches!(c, '.' | '\'' | '’')
            && start.is_some()
            && k > 0
            && chars[k - 1].1.is_alphanumeric()
            && chars.get(k + 1).is_some_and(|(_, n)| n.is_alphanumeric());
        if is_word_char(c) || joiner {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push(token(text, s, i));
        }
    }
    if let Some(s) = start {
        out.push(token(text, s, text.len()));
    }
    fold_plus(out)
}

fn token(text: &str, from: usize, to: usize) -> Token {
    Token {
        text: text[from..to].to_lowercase().replace('’', "'"),
        span: from..to,
    }
}

/// Fold `n`, `+`, `1` into `n+1` (people write "N + 1" as often as "N+1").
fn fold_plus(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut iter = tokens.into_iter().peekable();
    while let Some(t) = iter.next() {
        if t.text == "+"
            && let Some(prev) = out.last()
            && prev.text.chars().all(char::is_alphanumeric)
            && let Some(next) = iter.peek()
            && next.text.chars().all(char::is_alphanumeric)
        {
            let prev = out.pop().unwrap_or_else(|| t.clone());
            let next = iter.next().unwrap_or_else(|| t.clone());
            let span = prev.span.start..next.span.end;
            out.push(Token {
                text: format!("{}+{}", prev.text, next.text),
                span,
            });
            continue;
        }
        out.push(t);
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct WordPattern {
    text: String,
    prefix: bool,
}

impl WordPattern {
    fn matches(&self, token: &str) -> bool {
        if self.prefix {
            token.starts_with(&self.text)
        } else {
            token == self.text
        }
    }
}

/// A compiled list entry: one or more words to find in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    /// The entry as written in the list.
    pub entry: String,
    words: Vec<WordPattern>,
}

/// Why a list entry cannot be used.
pub(crate) fn entry_problem(entry: &str) -> Option<String> {
    if entry.chars().any(char::is_uppercase) {
        return Some(format!("\"{entry}\" must be lower-case"));
    }
    let words: Vec<&str> = entry.split_whitespace().collect();
    if words.is_empty() {
        return Some("an entry must not be empty".to_string());
    }
    for w in &words {
        let stem = w.strip_suffix('*').unwrap_or(w);
        if stem.is_empty() || stem.contains('*') {
            return Some(format!(
                "\"{entry}\": `*` may only end a word, after at least one letter"
            ));
        }
        for part in stem.split('-') {
            let toks = tokens(part);
            if toks.len() != 1 || toks[0].text != part.replace('’', "'") {
                return Some(format!(
                    "\"{entry}\": \"{part}\" is not one word as the matcher reads text (letters, digits, _ + # and inner . or ')"
                ));
            }
        }
    }
    None
}

impl Pattern {
    /// Compile a list entry. Words of `prefix_from` characters or more also match as
    /// prefixes (`None`: only words ending in `*` do). Entries are validated when
    /// their list is loaded, so this never fails: a bad word simply never matches.
    pub fn new(entry: &str, prefix_from: Option<usize>) -> Pattern {
        let words = entry
            .split_whitespace()
            .flat_map(|w| {
                let (stem, star) = match w.strip_suffix('*') {
                    Some(stem) => (stem, true),
                    None => (w, false),
                };
                // "eager-load" is two words to the matcher, as it is in the text.
                let parts: Vec<String> = tokens(stem).into_iter().map(|t| t.text).collect();
                let n = parts.len();
                parts.into_iter().enumerate().map(move |(k, text)| {
                    let long = prefix_from.is_some_and(|min| text.chars().count() >= min);
                    WordPattern {
                        prefix: (star && k + 1 == n) || long,
                        text,
                    }
                })
            })
            .collect();
        Pattern {
            entry: entry.to_string(),
            words,
        }
    }

    /// Every place the pattern matches, as byte spans of the original text.
    pub fn find_all(&self, tokens: &[Token]) -> Vec<Range<usize>> {
        let n = self.words.len();
        if n == 0 || tokens.len() < n {
            return Vec::new();
        }
        (0..=tokens.len() - n)
            .filter(|&i| {
                self.words
                    .iter()
                    .zip(&tokens[i..i + n])
                    .all(|(w, t)| w.matches(&t.text))
            })
            .map(|i| tokens[i].span.start..tokens[i + n - 1].span.end)
            .collect()
    }

    /// Every place the pattern matches, as ranges of token indexes.
    pub fn find_all_tokens(&self, tokens: &[Token]) -> Vec<Range<usize>> {
        let n = self.words.len();
        if n == 0 || tokens.len() < n {
            return Vec::new();
        }
        (0..=tokens.len() - n)
            .filter(|&i| {
                self.words
                    .iter()
                    .zip(&tokens[i..i + n])
                    .all(|(w, t)| w.matches(&t.text))
            })
            .map(|i| i..i + n)
            .collect()
    }

    /// The first place the pattern matches.
    pub fn find(&self, tokens: &[Token]) -> Option<Range<usize>> {
        self.find_all(tokens).into_iter().next()
    }
}

/// Compile a list of entries.
pub(crate) fn patterns(entries: &[String], prefix_from: Option<usize>) -> Vec<Pattern> {
    entries
        .iter()
        .map(|e| Pattern::new(e, prefix_from))
        .collect()
}

/// A sentence of a text: its byte span and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sentence {
    pub span: Range<usize>,
    pub line: usize,
}

impl Sentence {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.span.clone()).unwrap_or_default().trim()
    }
}

const ABBREVIATIONS: [&str; 6] = ["e.g", "i.e", "etc", "vs", "cf", "approx"];

/// Split a text into sentences: at `.`, `!` or `?` followed by white space (not after
/// a common abbreviation such as "e.g."), at blank lines and at list items. One pass:
/// every look-back or look-ahead stays within the current word or line.
pub(crate) fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let lines = LineIndex::new(text);
    let mut from = 0;
    // Where the current line starts and where the current word starts.
    let mut line_start = 0;
    let mut word_start = 0;
    let bytes = text.as_bytes();
    for i in 0..bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        let mut cut = None;
        if matches!(c, b'.' | b'!' | b'?') && next.is_none_or(|n| n.is_ascii_whitespace()) {
            let word = text.get(word_start.max(from)..i).unwrap_or_default();
            let last_word = word.rsplit('(').next().unwrap_or_default().to_lowercase();
            // "3. numbered": the number of a list item is not a sentence.
            let line_so_far = text.get(line_start.max(from)..i).unwrap_or_default().trim();
            let item_number = !line_so_far.is_empty()
                && line_so_far.len() <= 4
                && line_so_far.chars().all(|d| d.is_ascii_digit());
            if c != b'.' || !(ABBREVIATIONS.contains(&last_word.as_str()) || item_number) {
                cut = Some(i + 1);
            }
        } else if c == b'\n' {
            let line = text[i + 1..].split('\n').next().unwrap_or_default();
            let rest = line.trim_start_matches([' ', '\t']);
            let blank = rest.is_empty() || rest == "\r";
            let item = rest.starts_with("- ")
                || rest.starts_with("* ")
                || rest.starts_with("> ")
                || rest
                    .split_once(". ")
                    .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|d| d.is_ascii_digit()));
            let more = i + 1 < bytes.len();
            if more && (blank || item) {
                cut = Some(i);
            }
        }
        if c == b'\n' {
            line_start = i + 1;
        }
        if c.is_ascii_whitespace() {
            word_start = i + 1;
        }
        if let Some(end) = cut
            && end > from
        {
            push_sentence(&mut out, text, &lines, from, end);
            from = end;
        }
    }
    push_sentence(&mut out, text, &lines, from, text.len());
    out
}

fn push_sentence(out: &mut Vec<Sentence>, text: &str, lines: &LineIndex, from: usize, to: usize) {
    let piece = &text[from..to];
    if piece.trim().is_empty() {
        return;
    }
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    let start = from + lead;
    out.push(Sentence {
        span: start..to - trail,
        line: lines.line(start),
    });
}

/// The text with fenced code blocks and inline code replaced by spaces (offsets are
/// kept), so words inside code do not count as explanation.
pub(crate) fn blank_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            out.push_str(&blank(line));
            continue;
        }
        if in_fence {
            out.push_str(&blank(line));
            continue;
        }
        let mut in_tick = false;
        for c in line.chars() {
            if c == '`' {
                in_tick = !in_tick;
                out.push(' ');
            } else if in_tick && c != '\n' {
                out.push_str(&" ".repeat(c.len_utf8()));
            } else {
                out.push(c);
            }
        }
    }
    out
}

fn blank(line: &str) -> String {
    line.chars()
        .map(|c| {
            if c == '\n' {
                "\n".to_string()
            } else {
                " ".repeat(c.len_utf8())
            }
        })
        .collect()
}

/// A short excerpt of `text` around `span`, on one line, for evidence.
pub(crate) fn excerpt(text: &str, span: &Range<usize>) -> String {
    text.get(span.clone())
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn tokens_keep_inner_dots_plus_and_apostrophes() {
        assert_eq!(
            words("Use os.environ, don't loop: N + 1 queries (select_related)."),
            vec![
                "use",
                "os.environ",
                "don't",
                "loop",
                "n+1",
                "queries",
                "select_related"
            ]
        );
        assert_eq!(words("N+1."), vec!["n+1"]);
        assert_eq!(words("C# and c++"), vec!["c#", "and", "c++"]);
    }

    #[test]
    fn patterns_match_phrases_prefixes_and_exact_words() {
        let toks = tokens("We are eager-loading the rows; saturation follows at scale.");
        assert!(Pattern::new("eager load", Some(4)).find(&toks).is_some());
        assert!(Pattern::new("eager load", None).find(&toks).is_none());
        assert!(Pattern::new("saturat*", None).find(&toks).is_some());
        assert!(Pattern::new("at scale", None).find(&toks).is_some());
        // short words never match as prefixes: "row" must not match "rows"
        assert!(Pattern::new("row", Some(4)).find(&toks).is_none());
        let span = Pattern::new("at scale", None).find(&toks).unwrap();
        assert_eq!(
            &"We are eager-loading the rows; saturation follows at scale."[span],
            "at scale"
        );
    }

    #[test]
    fn entries_are_validated() {
        assert!(entry_problem("at scale").is_none());
        assert!(entry_problem("saturat*").is_none());
        assert!(entry_problem("n+1").is_none());
        assert!(entry_problem("Because").is_some());
        assert!(entry_problem("").is_some());
        assert!(entry_problem("*").is_some());
        assert!(entry_problem("a*b").is_some());
        assert!(entry_problem("why?").is_some());
        assert!(entry_problem("one-on-one").is_none());
        assert!(entry_problem("trade-off*").is_none());
        assert!(entry_problem("a, b").is_some());
    }

    #[test]
    fn sentences_split_at_stops_blank_lines_and_items_but_not_abbreviations() {
        let text = "First one, e.g. this. Second?\nStill second.\n\n- item\n- other\n3. numbered";
        let got: Vec<(usize, &str)> = sentences(text)
            .iter()
            .map(|s| (s.line, s.text(text)))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "First one, e.g. this."),
                (1, "Second?"),
                (2, "Still second."),
                (4, "- item"),
                (5, "- other"),
                (6, "3. numbered"),
            ]
        );
    }

    #[test]
    fn code_is_blanked_with_offsets_kept() {
        let text = "Use `because` here\n```\nload it\n```\nbecause";
        let b = blank_code(text);
        assert_eq!(b.len(), text.len());
        assert!(!b.contains("load"));
        assert_eq!(b.matches("because").count(), 1);
    }
}
