//! A real headless Chromium for the end-to-end tests, driven over WebDriver.
//!
//! [`Browser::from_env`] reads where chromedriver and Chromium are
//! (`MULTIPLIER_TEST_CHROMEDRIVER`, `MULTIPLIER_TEST_CHROMIUM`, the latter
//! defaulting to `/usr/bin/chromium`) and answers `None`, after saying why on
//! standard error, when they are not there: the calling test then returns early
//! and shows as skipped in its output rather than failing on a machine without a
//! browser.
//!
//! chromedriver is started on `--port=0` (it picks a free loopback port and prints
//! it, which is read from its output, so there is no race and no polling), then one
//! Chromium session in a fresh profile directory. Every wait is an explicit wait
//! for an element or a text, bounded by [`WAIT`]; nothing sleeps.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The longest any single wait lasts before the test fails, saying what it waited for.
pub const WAIT: Duration = Duration::from_secs(20);
/// The viewport: a laptop. [`Browser::phone`] narrows it.
pub const WIDTH: u32 = 1280;
pub const HEIGHT: u32 = 1000;

/// Where the browser programs are, when they are all there.
#[derive(Debug, Clone)]
pub struct Programs {
    pub chromedriver: PathBuf,
    pub chromium: PathBuf,
}

impl Programs {
    /// The programs named by the environment, or `None` (with the reason printed)
    /// when one is not set or not there.
    pub fn from_env() -> Option<Programs> {
        let Some(chromedriver) = std::env::var_os("MULTIPLIER_TEST_CHROMEDRIVER") else {
            skipped(format_args!(
                "SKIPPED: MULTIPLIER_TEST_CHROMEDRIVER is not set, so the headless-Chromium \
                 end-to-end test does not run. Install Debian's `chromium` and `chromium-driver` \
                 and set MULTIPLIER_TEST_CHROMEDRIVER=/usr/bin/chromedriver (`.ci/run` does both)."
            ));
            return None;
        };
        let chromedriver = PathBuf::from(chromedriver);
        let chromium = std::env::var_os("MULTIPLIER_TEST_CHROMIUM")
            .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
        for (what, path) in [("chromedriver", &chromedriver), ("Chromium", &chromium)] {
            if !path.is_file() {
                skipped(format_args!(
                    "SKIPPED: {what} is not at {} , so the headless-Chromium end-to-end test \
                     does not run. Install Debian's `chromium` and `chromium-driver`, or point \
                     MULTIPLIER_TEST_CHROMEDRIVER / MULTIPLIER_TEST_CHROMIUM at the programs.",
                    path.display()
                ));
                return None;
            }
        }
        Some(Programs {
            chromedriver,
            chromium,
        })
    }
}

/// Say why a test is skipped, straight to standard error: the test harness
/// captures `eprintln!` of passing tests, and this line must show in CI's log.
fn skipped(message: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// A running chromedriver; killed when dropped.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Driver {
    /// Start chromedriver on a port of its choosing and wait until it says it listens.
    pub async fn start(programs: &Programs) -> Driver {
        let mut child = Command::new(&programs.chromedriver)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start chromedriver at {}: {e}",
                    programs.chromedriver.display()
                )
            });
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<Result<u16, String>>();
        // Read its output on a thread of its own: the line naming the port, then keep
        // draining so chromedriver never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let mut seen = String::new();
            let mut port = None;
            for line in lines.by_ref() {
                let Ok(line) = line else { break };
                if let Some(p) = port_in(&line) {
                    port = Some(p);
                    break;
                }
                seen.push_str(&line);
                seen.push('\n');
            }
            let _ = tx.send(port.ok_or(seen));
            for _ in lines {}
        });
        let port = match tokio::time::timeout(WAIT, rx).await {
            Ok(Ok(Ok(port))) => port,
            Ok(Ok(Err(output))) => panic!("chromedriver stopped before listening: {output}"),
            Ok(Err(_)) => panic!("chromedriver's output ended before it named its port"),
            Err(_) => panic!("chromedriver did not start listening within {WAIT:?}"),
        };
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The port in chromedriver's "ChromeDriver was started successfully on port N." line.
pub fn port_in(line: &str) -> Option<u16> {
    let rest = line.split("started successfully on port ").nth(1)?;
    rest.trim().trim_end_matches('.').parse().ok()
}

/// Where screenshots go: `target/e2e-screenshots/` (under `CARGO_TARGET_DIR` when set).
pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || {
            let web = Path::new(env!("CARGO_MANIFEST_DIR"));
            web.ancestors().nth(2).unwrap_or(web).join("target")
        },
        PathBuf::from,
    );
    target.join("e2e-screenshots")
}

/// An XPath string literal for `text`, whatever quotes it holds.
pub fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

/// One Chromium session in a fresh profile, on a server at `base`.
pub struct Browser {
    pub client: Client,
    pub base: String,
    shots: PathBuf,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// A new headless Chromium session through `driver`, on the server at `base`.
    pub async fn open(programs: &Programs, driver: &Driver, base: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            "--no-first-run".to_string(),
            "--no-default-browser-check".to_string(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={WIDTH},{HEIGHT}"),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), serde_json::json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": programs.chromium.to_string_lossy(),
                "args": args,
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "chromedriver at {} could not start Chromium ({}): {e}",
                    driver.url,
                    programs.chromium.display()
                )
            });
        let shots = screenshot_dir();
        std::fs::create_dir_all(&shots)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", shots.display()));
        Browser {
            client,
            base: base.to_string(),
            shots,
            _profile: profile,
        }
    }

    /// Narrow the window to a phone's (390 × 844 CSS pixels).
    pub async fn phone(&self) {
        self.client.set_window_size(390, 844).await.unwrap();
    }

    /// A common laptop's window (1366 × 768 CSS pixels).
    pub async fn laptop(&self) {
        self.client.set_window_size(1366, 768).await.unwrap();
    }

    /// Whether the page is wider than the window (a phone user would have to
    /// scroll sideways to read it).
    pub async fn overflows_sideways(&self) -> bool {
        let v = self
            .client
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth;",
                vec![],
            )
            .await
            .unwrap();
        v.as_bool().unwrap_or(true)
    }

    /// Go to a path of the server under test.
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// The path (and query) the browser is on.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// The visible text of the page.
    pub async fn text(&self) -> String {
        self.client
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    async fn failed(&self, what: &str) -> ! {
        let path = self.path().await;
        let text = self.text().await;
        let shot = self.shot_raw("failure").await;
        panic!(
            "waited {WAIT:?} for {what} on {path} (screenshot {}); the page says:\n{text}",
            shot.display()
        )
    }

    /// Wait for an element matching the CSS selector.
    pub async fn css(&self, selector: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(selector))
            .await
        {
            Ok(e) => e,
            Err(_) => self.failed(&format!("an element `{selector}`")).await,
        }
    }

    /// Wait for an element matching the XPath expression.
    pub async fn xpath(&self, expr: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(expr))
            .await
        {
            Ok(e) => e,
            Err(_) => self.failed(&format!("an element at `{expr}`")).await,
        }
    }

    /// Wait until the page shows `text` (anywhere in the body).
    pub async fn sees(&self, text: &str) {
        let expr = format!(
            "//body[contains(normalize-space(.), {})]",
            xpath_literal(text)
        );
        match self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&expr))
            .await
        {
            Ok(_) => {}
            Err(_) => self.failed(&format!("the text {text:?}")).await,
        }
    }

    /// Wait until the browser is on a path starting with `prefix`.
    pub async fn on(&self, prefix: &str) {
        let mut last = String::new();
        let start = std::time::Instant::now();
        // Each check is one WebDriver round trip; what is awaited is the navigation.
        while start.elapsed() < WAIT {
            last = self.path().await;
            if last.starts_with(prefix) {
                return;
            }
        }
        self.failed(&format!("a page under {prefix} (still on {last})"))
            .await
    }

    /// The form control labelled `label` (a `<label for>` or a wrapping `<label>`,
    /// matched on the start of its text, case-insensitively).
    pub async fn field(&self, label: &str) -> Element {
        let lower = "translate(normalize-space(.), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";
        let want = xpath_literal(&label.to_lowercase());
        let label_el = self
            .xpath(&format!("//label[starts-with({lower}, {want})]"))
            .await;
        if let Some(id) = label_el
            .attr("for")
            .await
            .unwrap()
            .filter(|s| !s.is_empty())
        {
            return self.css(&format!("[id={}]", css_string(&id))).await;
        }
        match label_el.find(Locator::Css("input, textarea, select")).await {
            Ok(e) => e,
            Err(_) => {
                self.failed(&format!("a control inside the label {label:?}"))
                    .await
            }
        }
    }

    /// Type `value` into the control labelled `label`, replacing what it held.
    pub async fn fill(&self, label: &str, value: &str) {
        let field = self.field(label).await;
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    /// Type `value` into the control matching the CSS selector.
    pub async fn fill_css(&self, selector: &str, value: &str) {
        let field = self.css(selector).await;
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    /// Choose the option whose visible text is `option` in the select labelled `label`.
    pub async fn choose(&self, label: &str, option: &str) {
        let field = self.field(label).await;
        field
            .select_by_label(option)
            .await
            .unwrap_or_else(|e| panic!("the select {label:?} has no option {option:?}: {e}"));
    }

    /// Choose by value in the select labelled `label`.
    pub async fn choose_value(&self, label: &str, value: &str) {
        let field = self.field(label).await;
        field.select_by_value(value).await.unwrap_or_else(|e| {
            panic!("the select {label:?} has no option with value {value:?}: {e}")
        });
    }

    /// Click the `<label>` of the control with this id (how a person ticks a radio
    /// button or a checkbox).
    pub async fn tick(&self, id: &str) {
        self.css(&format!("label[for={}]", css_string(id)))
            .await
            .click()
            .await
            .unwrap();
    }

    /// The current value of the control labelled `label`.
    pub async fn value(&self, label: &str) -> String {
        self.field(label)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Click the button (or submit input) whose text starts with `text`.
    pub async fn press(&self, text: &str) {
        let t = xpath_literal(text);
        let button = self
            .xpath(&format!(
                "//button[starts-with(normalize-space(.), {t})] | //input[(@type='submit' or @type='button') and starts-with(@value, {t})]"
            ))
            .await;
        button.click().await.unwrap();
    }

    /// Click the button whose text starts with `text` and wait until the browser has
    /// left the page (its old document is gone), for forms that load a new page:
    /// the next wait then cannot match an element of the page before.
    pub async fn submit(&self, text: &str) {
        let old = self.client.find(Locator::Css("html")).await.unwrap();
        self.press(text).await;
        let start = std::time::Instant::now();
        // Each check is one WebDriver round trip; the old root answers until the
        // new document replaces it.
        while start.elapsed() < WAIT {
            if old.tag_name().await.is_err() {
                return;
            }
        }
        self.failed(&format!("a new page after pressing {text:?}"))
            .await
    }

    /// Click the link whose text starts with `text`.
    pub async fn follow(&self, text: &str) {
        let t = xpath_literal(text);
        let link = self
            .xpath(&format!("//a[starts-with(normalize-space(.), {t})]"))
            .await;
        link.click().await.unwrap();
    }

    /// Sign in through the form (from wherever the browser is).
    pub async fn sign_in(&self, name: &str, password: &str) {
        self.goto("/login").await;
        self.fill("Name", name).await;
        self.fill("Password", password).await;
        self.submit("Sign in").await;
        self.xpath(&format!(
            "//span[contains(@class, 'who') and starts-with(normalize-space(.), {})]",
            xpath_literal(name)
        ))
        .await;
    }

    /// Sign out with the header's button.
    pub async fn sign_out(&self) {
        self.submit("Sign out").await;
        self.css("input[name=password]").await;
    }

    /// Save a screenshot as `<dir>/<name>.png` and print where.
    pub async fn shot(&self, name: &str) -> PathBuf {
        let path = self.shot_raw(name).await;
        eprintln!("screenshot: {}", path.display());
        path
    }

    async fn shot_raw(&self, name: &str) -> PathBuf {
        let path = self.shots.join(format!("{name}.png"));
        match self.client.screenshot().await {
            Ok(png) => {
                let _ = std::fs::write(&path, png);
            }
            Err(e) => eprintln!("no screenshot {}: {e}", path.display()),
        }
        path
    }

    /// End the session (Chromium quits).
    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// A CSS string literal (for attribute selectors on ids that are not identifiers).
fn css_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
