//! Mail: the outbox and the messages the product sends.
//!
//! Every message is composed here, by the use case whose action causes it, and
//! handed to the store with that action's write, so the action and its messages
//! commit together or not at all. A delivery worker ([`worker`]) claims due
//! messages, hands them to the SMTP server and records each attempt. Without
//! an SMTP server the messages simply wait in the outbox, readable by admins.
//!
//! Nothing here logs a message's address, subject or body: a portal link is a
//! key to the candidate's page and lives only in the message.

pub mod ical;
mod schedule;
pub mod smtp;
mod templates;
pub mod worker;

pub use schedule::{InterviewInput, InterviewView, SlotInput, SlotPick};
pub use smtp::{SmtpConfig, SmtpError};
pub use templates::{DEFAULT_MAIL_TOML, KINDS, Template, Templates, fill};
pub use worker::{Delivery, Transport};

use crate::actor::{Account, Actor};
use crate::error::{AppError, AppResult, FieldProblem};
use crate::limits::{MAX_SHORT_CHARS, MAX_TEXT_CHARS};
use crate::{App, require_admin};
use jiff::Timestamp;
use multiplier_store::{
    AttemptRecord, CandidateId, CandidateRecord, MailStore, MessageRecord, MessageState, NewMessage,
};
use serde::Serialize;

/// How this server writes and sends its messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    /// The sender's address (`From:`).
    pub from: String,
    /// The address people use to reach this server, for links in messages.
    pub public_url: String,
    /// The messages' words.
    pub templates: Templates,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            from: "multiplier@localhost".into(),
            public_url: "http://localhost:8080".into(),
            templates: Templates::builtin(),
        }
    }
}

/// A message ready to go, as shown before a manager sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailDraft {
    pub to: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
}

/// One message and its attempts, for the outbox page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageView {
    pub message: MessageRecord,
    pub attempts: Vec<AttemptRecord>,
}

/// A template filled with example values, for the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplatePreview {
    pub kind: String,
    pub subject: String,
    pub body: String,
}

/// A plausible e-mail address: one `@`, something on each side, no spaces or
/// angle brackets, a dot in the domain.
pub fn check_address(raw: &str) -> Result<String, String> {
    let a = raw.trim();
    let ok = a.len() <= 254
        && !a
            .chars()
            .any(|c| c.is_whitespace() || "<>,;\"()[]\\".contains(c))
        && a.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if ok {
        Ok(a.to_string())
    } else {
        Err(format!(
            "`{a}` is not an e-mail address (like ana@example.com)"
        ))
    }
}

/// A sender address as SMTP takes it (`multiplier@localhost` is one; a
/// recipient's needs a dot in its domain, see [`check_address`]).
pub fn check_sender(raw: &str) -> Result<String, String> {
    raw.trim()
        .parse::<lettre::Address>()
        .map(|a| a.to_string())
        .map_err(|e| format!("`{}` is not a sender address: {e}", raw.trim()))
}

pub(crate) fn when(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

impl App {
    /// Use `settings` for the messages this app writes.
    pub fn with_mail(mut self, settings: MailSettings) -> App {
        self.mail = std::sync::Arc::new(settings);
        self
    }

    /// How this app writes its messages.
    pub fn mail_settings(&self) -> &MailSettings {
        &self.mail
    }

    /// `path` on this server as a full address.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.mail.public_url.trim_end_matches('/'))
    }

    /// Compose one message of `kind` to `to`.
    pub(crate) fn compose(
        &self,
        kind: &str,
        candidate: Option<CandidateId>,
        to: (&str, &str),
        values: &[(&str, &str)],
    ) -> AppResult<NewMessage> {
        let (subject, body) = self.mail.templates.render(kind, values)?;
        Ok(NewMessage {
            kind: kind.to_string(),
            candidate,
            recipient: to.1.to_string(),
            recipient_name: to.0.to_string(),
            subject,
            body,
            calendar: None,
            dedupe_key: None,
        })
    }

    /// An account's address, when it has one and is active.
    pub(crate) async fn address_of(&self, name: &str) -> AppResult<Option<String>> {
        use multiplier_store::AccountStore;
        Ok(self
            .store
            .user(name)
            .await?
            .filter(|u| u.is_active())
            .and_then(|u| u.email))
    }

    /// Set or clear an account's e-mail address: an admin or the operator for
    /// anyone, an account for itself.
    pub async fn set_email(&self, actor: &Actor, name: &str, email: Option<&str>) -> AppResult<()> {
        let own = matches!(actor, Actor::Account(a) if a.name == name.trim());
        if !own && !actor.administers() {
            return Err(AppError::Forbidden(
                "only an admin may change another account's e-mail address".into(),
            ));
        }
        let email = match email.map(str::trim).filter(|e| !e.is_empty()) {
            Some(e) => {
                Some(check_address(e).map_err(|m| AppError::field("the account", "email", m))?)
            }
            None => None,
        };
        Ok(self
            .store
            .set_email(actor.audit_name(), name.trim(), email.as_deref())
            .await?)
    }

    /// The outbox, newest first (admins).
    pub async fn outbox(
        &self,
        account: &Account,
        state: Option<MessageState>,
    ) -> AppResult<Vec<MessageRecord>> {
        require_admin(account, "read the outbox")?;
        Ok(self.store.messages(state, 500).await?)
    }

    /// One message and its delivery attempts (admins).
    pub async fn outbox_message(&self, account: &Account, id: i64) -> AppResult<MessageView> {
        require_admin(account, "read the outbox")?;
        let (message, attempts) = self
            .store
            .message(id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("there is no message {id}")))?;
        Ok(MessageView { message, attempts })
    }

    /// Make a failed or waiting message due now (admins). A message the server
    /// accepted is never sent again.
    pub async fn retry_message(&self, account: &Account, id: i64) -> AppResult<MessageView> {
        require_admin(account, "retry messages")?;
        self.store.retry_message(&account.name, id).await?;
        self.outbox_message(account, id).await
    }

    /// Every template filled with example values (admins).
    pub fn template_previews(&self, account: &Account) -> AppResult<Vec<TemplatePreview>> {
        require_admin(account, "preview the messages")?;
        let example = [
            ("candidate", "Alex Example"),
            ("recipient", "Alex Example"),
            ("opening", "Tech Lead, Payments"),
            ("manager", "Maria (hiring manager)"),
            ("interviewer", "Ivo"),
            ("interviewers", "Ivo, Ines"),
            ("stage", "system-design"),
            ("start", "2031-03-04 14:00 UTC"),
            ("minutes", "60"),
            ("where", "https://video.example.org/room/42"),
            ("link", "https://hiring.example.com/c/…"),
            ("expires", "2031-03-18 14:00 UTC"),
            ("days", "2"),
            ("months", "6"),
            ("due", "2031-09-04"),
        ];
        KINDS
            .iter()
            .map(|kind| {
                let (subject, body) = self.mail.templates.render(kind, &example)?;
                Ok(TemplatePreview {
                    kind: kind.to_string(),
                    subject,
                    body,
                })
            })
            .collect()
    }

    /// The rejection the template suggests for a candidate, for the manager to
    /// edit (hiring managers). Refused when the candidate has no address.
    pub async fn rejection_draft(
        &self,
        account: &Account,
        id: CandidateId,
    ) -> AppResult<MailDraft> {
        let s = self.subject(account, id).await?;
        require_admin(account, "write to candidates")?;
        let to = candidate_address(&s.candidate)?;
        let (subject, body) = self.mail.templates.render(
            "rejection",
            &[
                ("candidate", &s.candidate.name),
                ("opening", &s.opening.title),
                ("manager", &s.opening.manager),
            ],
        )?;
        Ok(MailDraft {
            to,
            to_name: s.candidate.name,
            subject,
            body,
        })
    }

    /// Check a rejection the manager edited and show it as it will go, without
    /// sending it (hiring managers).
    pub async fn preview_rejection(
        &self,
        account: &Account,
        id: CandidateId,
        subject: &str,
        body: &str,
    ) -> AppResult<MailDraft> {
        let draft = self.rejection_draft(account, id).await?;
        let (subject, body) = check_letter(subject, body)?;
        Ok(MailDraft {
            subject,
            body,
            ..draft
        })
    }

    /// Queue the rejection as the manager wrote it (hiring managers); audited
    /// as `mail.rejection`. Returns the queued message.
    pub async fn send_rejection(
        &self,
        account: &Account,
        id: CandidateId,
        subject: &str,
        body: &str,
    ) -> AppResult<MessageRecord> {
        let draft = self.preview_rejection(account, id, subject, body).await?;
        let message = NewMessage {
            kind: "rejection".into(),
            candidate: Some(id),
            recipient: draft.to,
            recipient_name: draft.to_name,
            subject: draft.subject,
            body: draft.body,
            calendar: None,
            dedupe_key: None,
        };
        let ids = self
            .store
            .enqueue(
                &account.name,
                "mail.rejection",
                &format!("candidate:{id}"),
                &[message],
            )
            .await?;
        let first = ids
            .first()
            .copied()
            .ok_or_else(|| AppError::Internal("the rejection was not queued".into()))?;
        Ok(self.outbox_message(account, first).await?.message)
    }

    /// The portal-link message for a new link (none when the candidate has no
    /// address).
    pub(crate) fn portal_link_message(
        &self,
        candidate: &CandidateRecord,
        opening: &str,
        manager: &str,
        path: &str,
        expires: Timestamp,
    ) -> AppResult<Option<NewMessage>> {
        let Some(to) = candidate.email.as_deref() else {
            return Ok(None);
        };
        let link = self.url(path);
        self.compose(
            "portal-link",
            Some(candidate.id),
            (&candidate.name, to),
            &[
                ("candidate", &candidate.name),
                ("opening", opening),
                ("manager", manager),
                ("link", &link),
                ("expires", &when(expires)),
            ],
        )
        .map(Some)
    }

    /// The message to an interviewer just assigned (none without an address).
    pub(crate) async fn assigned_message(
        &self,
        candidate: &CandidateRecord,
        opening: &str,
        stage: &str,
        interviewer: &str,
    ) -> AppResult<Option<NewMessage>> {
        let Some(to) = self.address_of(interviewer).await? else {
            return Ok(None);
        };
        let link = self.url(&format!("/candidates/{}", candidate.id));
        self.compose(
            "assigned",
            Some(candidate.id),
            (interviewer, &to),
            &[
                ("candidate", &candidate.name),
                ("opening", opening),
                ("stage", stage),
                ("interviewer", interviewer),
                ("link", &link),
            ],
        )
        .map(Some)
    }

    /// The message to a candidate whose offer was recorded (none without an
    /// address).
    pub(crate) fn offer_message(
        &self,
        candidate: &CandidateRecord,
        opening: &str,
        manager: &str,
    ) -> AppResult<Option<NewMessage>> {
        let Some(to) = candidate.email.as_deref() else {
            return Ok(None);
        };
        self.compose(
            "offer",
            Some(candidate.id),
            (&candidate.name, to),
            &[
                ("candidate", &candidate.name),
                ("opening", opening),
                ("manager", manager),
            ],
        )
        .map(Some)
    }
}

fn candidate_address(c: &CandidateRecord) -> AppResult<String> {
    c.email.clone().ok_or_else(|| {
        AppError::Conflict(format!(
            "candidate {} has no e-mail address; add one to write to them",
            c.id
        ))
    })
}

fn check_letter(subject: &str, body: &str) -> AppResult<(String, String)> {
    let subject = subject.trim();
    let body = body.trim();
    let mut problems = Vec::new();
    if subject.is_empty() {
        problems.push(FieldProblem::new("subject", "write a subject"));
    } else if subject.chars().count() > MAX_SHORT_CHARS || subject.contains(['\r', '\n']) {
        problems.push(FieldProblem::new(
            "subject",
            format!("a subject is one line of at most {MAX_SHORT_CHARS} characters"),
        ));
    }
    if body.is_empty() {
        problems.push(FieldProblem::new("body", "write the message"));
    } else if body.chars().count() > MAX_TEXT_CHARS {
        problems.push(FieldProblem::new(
            "body",
            format!("a message holds at most {MAX_TEXT_CHARS} characters"),
        ));
    }
    AppError::check("the message", problems)?;
    Ok((subject.to_string(), body.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked() {
        assert!(check_address("ana@example.com").is_ok());
        assert!(check_address(" ana@example.org ").is_ok());
        for bad in [
            "ana",
            "@example.com",
            "ana@",
            "ana@example",
            "a b@example.com",
            "a@b@c.d",
        ] {
            assert!(check_address(bad).is_err(), "{bad}");
        }
    }
}
