//! A tiny SMTP server for tests: listens on a free loopback port, speaks enough
//! SMTP (RFC 5321) for a client to hand over messages, and keeps each message's
//! envelope and data. It can be told to refuse recipients, transiently (451)
//! or for good (550).

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone, Default)]
pub struct Received {
    #[allow(dead_code)]
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Accept,
    Transient,
    Permanent,
}

#[derive(Clone)]
pub struct Sink {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
    pub mode: Arc<Mutex<Mode>>,
}

impl Sink {
    pub async fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink = Sink {
            port,
            received: Arc::default(),
            mode: Arc::new(Mutex::new(Mode::Accept)),
        };
        let s = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = s.session(stream).await;
                });
            }
        });
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    async fn session(&self, stream: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
        let mut current = Received::default();
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let upper = line.to_ascii_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") {
                b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
            } else if upper.starts_with("HELO") {
                b"250 sink.test\r\n"
            } else if upper.starts_with("MAIL FROM:") {
                current = Received {
                    from: line[10..].trim().to_string(),
                    ..Received::default()
                };
                b"250 2.1.0 ok\r\n"
            } else if upper.starts_with("RCPT TO:") {
                match *self.mode.lock().unwrap() {
                    Mode::Accept => {
                        current.to.push(line[8..].trim().to_string());
                        b"250 2.1.5 ok\r\n"
                    }
                    Mode::Transient => b"451 4.3.0 try again later\r\n",
                    Mode::Permanent => b"550 5.1.1 no such mailbox\r\n",
                }
            } else if upper.starts_with("DATA") {
                write.write_all(b"354 go ahead\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    let l = line.strip_prefix('.').unwrap_or(&line);
                    data.push_str(l);
                }
                current.data = data;
                let n = {
                    let mut r = self.received.lock().unwrap();
                    r.push(current.clone());
                    r.len()
                };
                write
                    .write_all(format!("250 2.0.0 queued as {n}\r\n").as_bytes())
                    .await?;
                continue;
            } else if upper.starts_with("RSET") || upper.starts_with("NOOP") {
                b"250 ok\r\n"
            } else if upper.starts_with("QUIT") {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else {
                b"502 5.5.2 not implemented\r\n"
            };
            write.write_all(reply).await?;
        }
    }
}

/// Undo quoted-printable (soft line breaks and `=XX`), enough for tests.
pub fn unquote(text: &str) -> String {
    let joined = text.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(b) = joined
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The calendar part of a raw message, decoded.
pub fn calendar_part(data: &str) -> Option<String> {
    let start = data.find("Content-Type: text/calendar")?;
    let rest = &data[start..];
    let body_start = rest.find("\r\n\r\n")? + 4;
    let body = &rest[body_start..];
    let end = body.find("\r\n--").unwrap_or(body.len());
    Some(unquote(&body[..end]))
}
