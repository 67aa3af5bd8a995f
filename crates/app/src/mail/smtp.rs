//! SMTP delivery through lettre (async on tokio, TLS through rustls).
//!
//! The server is given as a URL: `smtp://user:pass@host:587` speaks STARTTLS
//! and refuses to go on without it; `smtps://…:465` opens TLS at once;
//! `?tls=none` sends in the clear and is accepted only for a server on this
//! machine (a loopback address), such as a local relay or a test.

use super::MailSettings;
use super::worker::Delivery;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use multiplier_store::MessageRecord;
use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// STARTTLS, required.
    StartTls,
    /// TLS from the first byte (`smtps://`).
    Tls,
    /// Plain text; loopback only.
    None,
}

/// A parsed `--smtp` URL. The password never shows in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: Option<String>,
    password: Option<String>,
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string())
    }
}

impl fmt::Display for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.security == Security::Tls {
            "smtps"
        } else {
            "smtp"
        };
        write!(f, "{scheme}://")?;
        if let Some(u) = &self.user {
            write!(f, "{u}:***@")?;
        }
        write!(f, "{}:{}", self.host, self.port)?;
        if self.security == Security::None {
            f.write_str("?tls=none")?;
        }
        Ok(())
    }
}

/// Why a `--smtp` URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SmtpError(pub String);

fn percent_decode(s: &str) -> Result<String, SmtpError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    SmtpError("a `%` in the SMTP URL is not followed by two hex digits".into())
                })?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map_err(|_| SmtpError("the SMTP URL's user or password is not UTF-8".into()))
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl SmtpConfig {
    /// Parse `smtp://[user[:pass]@]host[:port][?tls=none]` or `smtps://…`.
    pub fn parse(url: &str) -> Result<SmtpConfig, SmtpError> {
        let url = url.trim();
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            SmtpError(
                "give the SMTP server as a URL, like smtp://user:pass@mail.example.com:587".into(),
            )
        })?;
        let mut security = match scheme.to_ascii_lowercase().as_str() {
            "smtp" => Security::StartTls,
            "smtps" => Security::Tls,
            other => {
                return Err(SmtpError(format!(
                    "`{other}://` is not an SMTP URL; use smtp:// (STARTTLS) or smtps:// (TLS)"
                )));
            }
        };
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let rest = rest.trim_end_matches('/');
        let (credentials, hostport) = match rest.rsplit_once('@') {
            Some((c, h)) => (Some(c), h),
            None => (None, rest),
        };
        let (user, password) = match credentials {
            None => (None, None),
            Some(c) => match c.split_once(':') {
                Some((u, p)) => (Some(percent_decode(u)?), Some(percent_decode(p)?)),
                None => (Some(percent_decode(c)?), None),
            },
        };
        let (host, port) = if let Some(stripped) = hostport.strip_prefix('[') {
            let (h, after) = stripped
                .split_once(']')
                .ok_or_else(|| SmtpError("an IPv6 address in the SMTP URL lacks its `]`".into()))?;
            (format!("[{h}]"), after.strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (hostport.to_string(), None),
            }
        };
        if host.is_empty() || host == "[]" {
            return Err(SmtpError("the SMTP URL names no server".into()));
        }
        for pair in query
            .unwrap_or_default()
            .split('&')
            .filter(|p| !p.is_empty())
        {
            match pair {
                "tls=none" => {
                    if !is_loopback(&host) {
                        return Err(SmtpError(format!(
                            "?tls=none sends mail and passwords in the clear; it is allowed only for a server on this machine (127.0.0.1, ::1, localhost), not {host}"
                        )));
                    }
                    security = Security::None;
                }
                "tls=starttls" | "tls=required" => security = Security::StartTls,
                other => {
                    return Err(SmtpError(format!(
                        "`{other}` is not an SMTP URL option; the one option is ?tls=none (loopback only)"
                    )));
                }
            }
        }
        let port = match port {
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| SmtpError(format!("`{p}` is not a port number")))?,
            None if security == Security::Tls => 465,
            None => 587,
        };
        Ok(SmtpConfig {
            host,
            port,
            security,
            user,
            password,
        })
    }

    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        let tls = |h: &str| TlsParameters::new(h.to_string()).map_err(|e| e.to_string());
        let security = match self.security {
            Security::StartTls => Tls::Required(tls(host)?),
            Security::Tls => Tls::Wrapper(tls(host)?),
            Security::None => Tls::None,
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(self.port)
            .tls(security)
            .timeout(Some(Duration::from_secs(30)))
            .hello_name(ClientId::Domain("multiplier.invalid".into()));
        if let Some(user) = &self.user {
            b = b.credentials(Credentials::new(
                user.clone(),
                self.password.clone().unwrap_or_default(),
            ));
        }
        Ok(b.build())
    }

    /// Hand one message to the server. `Ok` carries the server's answer.
    pub async fn send(&self, settings: &MailSettings, m: &MessageRecord) -> Delivery {
        let email = match build(settings, m) {
            Ok(e) => e,
            // A message that cannot be written never will be: give up at once.
            Err(e) => return Delivery::Permanent(e),
        };
        let transport = match self.transport() {
            Ok(t) => t,
            Err(e) => return Delivery::Transient(format!("cannot set up TLS: {e}")),
        };
        match transport.send(email).await {
            Ok(r) => Delivery::Accepted(format!(
                "{} {}",
                r.code(),
                r.message().collect::<Vec<_>>().join(" ")
            )),
            Err(e) if e.is_permanent() => Delivery::Permanent(e.to_string()),
            Err(e) => Delivery::Transient(e.to_string()),
        }
    }
}

/// The MIME message: plain text, plus the calendar part for an invitation.
/// Its Message-ID is stable per outbox entry, so a copy sent twice (see
/// docs/email.md) is recognisable as the same message.
pub fn build(settings: &MailSettings, m: &MessageRecord) -> Result<Message, String> {
    let from: Mailbox = format!("multiplier <{}>", settings.from)
        .parse()
        .map_err(|e| format!("the sender address is not valid: {e}"))?;
    let to = Mailbox::new(
        Some(m.recipient_name.clone()),
        m.recipient
            .parse()
            .map_err(|e| format!("the recipient address is not valid: {e}"))?,
    );
    let domain = settings.from.rsplit('@').next().unwrap_or("localhost");
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(m.subject.clone())
        .message_id(Some(format!(
            "<outbox-{}.{}@{domain}>",
            m.id,
            m.created_at.as_second()
        )));
    let result = match &m.calendar {
        None => builder.header(ContentType::TEXT_PLAIN).body(m.body.clone()),
        Some(ics) => {
            let method = if ics.contains("METHOD:CANCEL") {
                "CANCEL"
            } else {
                "REQUEST"
            };
            let calendar_type =
                ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
                    .map_err(|e| e.to_string())?;
            builder.multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::plain(m.body.clone()))
                    .singlepart(
                        SinglePart::builder()
                            .header(calendar_type)
                            .header(ContentTransferEncoding::QuotedPrintable)
                            .body(ics.clone()),
                    ),
            )
        }
    };
    result.map_err(|e| format!("cannot write the message: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_with_their_security() {
        let c = SmtpConfig::parse("smtp://ana:s%40cret@mail.example.com:2525");
        assert!(c.as_ref().is_ok_and(|c| c.security == Security::StartTls
            && c.port == 2525
            && c.password.as_deref() == Some("s@cret")));
        assert!(c.is_ok_and(|c| !c.to_string().contains("cret")));
        assert!(
            SmtpConfig::parse("smtps://mail.example.com")
                .is_ok_and(|c| c.port == 465 && c.security == Security::Tls)
        );
        assert!(
            SmtpConfig::parse("smtp://127.0.0.1:2525?tls=none")
                .is_ok_and(|c| c.security == Security::None)
        );
        assert!(SmtpConfig::parse("smtp://[::1]:25?tls=none").is_ok());
    }

    #[test]
    fn clear_text_is_for_loopback_only_and_odd_urls_are_refused() {
        assert!(SmtpConfig::parse("smtp://mail.example.com?tls=none").is_err());
        assert!(SmtpConfig::parse("http://mail.example.com").is_err());
        assert!(SmtpConfig::parse("mail.example.com").is_err());
        assert!(SmtpConfig::parse("smtp://h:99999").is_err());
        assert!(SmtpConfig::parse("smtp://h?tls=maybe").is_err());
    }
}
