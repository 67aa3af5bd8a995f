//! A change's id, compact: a git commit id is kept as its 20 bytes and written
//! as hex only when shown; any other id (a CD record's) is kept as its text.

use serde::{Serialize, Serializer};
use std::fmt;

/// The id of a change (usually a git commit).
///
/// Built from text with `From`: exactly 40 lowercase hex digits become the 20
/// bytes they spell, anything else stays the text it was, so an id always
/// prints back as it was given.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum ChangeId {
    /// A SHA-1 commit id, printed as 40 lowercase hex digits.
    Sha1([u8; 20]),
    /// Any other id, kept as given.
    Text(Box<str>),
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The lowercase form of an id, without allocating for a commit id.
pub(crate) enum Lower<'a> {
    Hex([u8; 40]),
    Text(std::borrow::Cow<'a, str>),
}

impl Lower<'_> {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Lower::Hex(h) => h,
            Lower::Text(t) => t.as_bytes(),
        }
    }
}

impl ChangeId {
    /// The hex digits of a SHA-1 id.
    fn hex(bytes: &[u8; 20]) -> [u8; 40] {
        let mut out = [0u8; 40];
        for (i, b) in bytes.iter().enumerate() {
            out[2 * i] = HEX[usize::from(b >> 4)];
            out[2 * i + 1] = HEX[usize::from(b & 0x0f)];
        }
        out
    }

    /// The id in ASCII lowercase, as reverted ids are matched.
    pub(crate) fn lower(&self) -> Lower<'_> {
        match self {
            ChangeId::Sha1(b) => Lower::Hex(Self::hex(b)),
            ChangeId::Text(t) if t.bytes().any(|c| c.is_ascii_uppercase()) => {
                Lower::Text(std::borrow::Cow::Owned(t.to_ascii_lowercase()))
            }
            ChangeId::Text(t) => Lower::Text(std::borrow::Cow::Borrowed(t)),
        }
    }

    /// The first `n` characters, as reports abbreviate ids.
    pub fn short(&self, n: usize) -> String {
        match self {
            ChangeId::Sha1(b) => {
                let hex = Self::hex(b);
                String::from_utf8_lossy(&hex[..n.min(40)]).into_owned()
            }
            ChangeId::Text(t) => t.chars().take(n).collect(),
        }
    }
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

/// The 20 bytes of exactly 40 lowercase hex digits.
fn sha1_of(text: &str) -> Option<[u8; 20]> {
    let digits = text.as_bytes();
    if digits.len() != 40 {
        return None;
    }
    let mut out = [0u8; 20];
    for (o, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        *o = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
    }
    Some(out)
}

impl From<&str> for ChangeId {
    fn from(text: &str) -> Self {
        match sha1_of(text) {
            Some(b) => ChangeId::Sha1(b),
            None => ChangeId::Text(text.into()),
        }
    }
}

impl From<String> for ChangeId {
    fn from(text: String) -> Self {
        match sha1_of(&text) {
            Some(b) => ChangeId::Sha1(b),
            None => ChangeId::Text(text.into_boxed_str()),
        }
    }
}

impl From<[u8; 20]> for ChangeId {
    fn from(bytes: [u8; 20]) -> Self {
        ChangeId::Sha1(bytes)
    }
}

impl fmt::Display for ChangeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChangeId::Sha1(b) => {
                let hex = Self::hex(b);
                // Only ASCII hex digits were written.
                f.write_str(std::str::from_utf8(&hex).map_err(|_| fmt::Error)?)
            }
            ChangeId::Text(t) => f.write_str(t),
        }
    }
}

impl fmt::Debug for ChangeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

impl PartialEq<str> for ChangeId {
    fn eq(&self, other: &str) -> bool {
        match self {
            ChangeId::Sha1(b) => Self::hex(b).as_slice() == other.as_bytes(),
            ChangeId::Text(t) => &**t == other,
        }
    }
}

impl PartialEq<&str> for ChangeId {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl Serialize for ChangeId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    // Test helpers may panic: a panic is a failed test.
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_lowercase_commit_id_is_kept_as_bytes_and_prints_back_the_same() {
        let hex = "0123456789abcdef0123456789abcdef01234567";
        let id = ChangeId::from(hex);
        assert!(matches!(id, ChangeId::Sha1(_)));
        assert_eq!(id.to_string(), hex);
        assert_eq!(id, hex);
        assert_eq!(id.short(10), "0123456789");
        assert_eq!(id.lower().as_bytes(), hex.as_bytes());
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{hex}\""));
        assert_eq!(ChangeId::from(hex.to_string()), id);
    }

    #[test]
    fn any_other_id_is_kept_as_text_exactly_as_given() {
        for text in [
            "0123456789ABCDEF0123456789abcdef01234567", // uppercase: printed as given
            "0123456789abcdef0123456789abcdef0123456",  // 39 digits
            "0123456789abcdef0123456789abcdef012345678", // 41 digits
            "abc",
            "deploy-7#0",
            "",
            "é0123456789abcdef0123456789abcdef012345",
        ] {
            let id = ChangeId::from(text);
            assert!(matches!(id, ChangeId::Text(_)), "{text}");
            assert_eq!(id.to_string(), text);
            assert_eq!(id, text);
        }
        let upper = ChangeId::from("ABCDEF1234");
        assert_eq!(upper.lower().as_bytes(), b"abcdef1234");
        assert_eq!(upper.short(3), "ABC");
        assert_eq!(ChangeId::from("é1").short(1), "é");
    }
}
