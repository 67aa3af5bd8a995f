//! iCalendar (RFC 5545) invitations, written by hand: one VEVENT with a stable
//! UID, a SEQUENCE raised by every change, METHOD:REQUEST for a booking or a
//! move and METHOD:CANCEL for a cancellation. Lines end in CRLF and are folded
//! at 75 octets; text values are escaped.

use jiff::Timestamp;

/// What an invitation says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation<'a> {
    pub uid: &'a str,
    pub sequence: i64,
    pub cancel: bool,
    pub summary: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub organizer: &'a str,
    /// (name, address)
    pub attendees: &'a [(String, String)],
    pub stamp: Timestamp,
}

fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Escape a TEXT value (RFC 5545 3.3.11).
fn text(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value: quoted, without the characters a quoted value cannot hold.
fn param(v: &str) -> String {
    let clean: String = v
        .chars()
        .filter(|c| !matches!(c, '"' | '\r' | '\n'))
        .collect();
    format!("\"{clean}\"")
}

/// Fold a content line at 75 octets, never inside a UTF-8 character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// The calendar object.
pub fn calendar(inv: &Invitation<'_>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//multiplier//interviews//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        format!("METHOD:{}", if inv.cancel { "CANCEL" } else { "REQUEST" }),
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", inv.uid),
        format!("SEQUENCE:{}", inv.sequence),
        format!("DTSTAMP:{}", utc(inv.stamp)),
        format!("DTSTART:{}", utc(inv.starts_at)),
        format!("DTEND:{}", utc(inv.ends_at)),
        format!("SUMMARY:{}", text(inv.summary)),
        format!("DESCRIPTION:{}", text(inv.description)),
    ];
    if !inv.location.is_empty() {
        lines.push(format!("LOCATION:{}", text(inv.location)));
    }
    lines.push(format!("ORGANIZER:mailto:{}", inv.organizer));
    for (name, address) in inv.attendees {
        lines.push(format!(
            "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:{address}",
            param(name)
        ));
    }
    lines.push(format!(
        "STATUS:{}",
        if inv.cancel { "CANCELLED" } else { "CONFIRMED" }
    ));
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in &lines {
        fold(l, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_and_text_is_escaped() {
        let mut out = String::new();
        fold(&"é".repeat(60), &mut out);
        assert!(out.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(text("a;b,c\nd\\"), "a\\;b\\,c\\nd\\\\");
    }
}
