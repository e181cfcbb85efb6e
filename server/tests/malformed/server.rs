//! The real binary for the malformed-input test: `relais demo` loads the
//! demo data into a fresh SQLite file (its links and staff passwords are
//! read from what it prints), `relais apikey add` makes the integration
//! keys, then `relais serve` runs with its log captured; and the probe that
//! sends every request, counts it and files any server error.

use reqwest::{Method, RequestBuilder, StatusCode};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The key of the inbound SMS signatures (`RELAIS_SMS_INBOUND_SECRET`).
pub const INBOUND_SECRET: &str = "malformed-inbound-secret-0123";

/// What `relais demo` printed, and the keys made after it.
pub struct Demo {
    /// `DEMO-0001` … with the token of the case's link and the date of
    /// birth (`YYYY-MM-DD`) it asks.
    pub cases: Vec<DemoCase>,
    /// The notified contacts' link tokens, with the contact's name.
    pub contacts: Vec<(String, String)>,
    /// Staff usernames and their passwords.
    pub staff: Vec<(String, String)>,
    /// An API key with the rights intake and export.
    pub full_key: String,
    /// An API key with the right export only.
    pub export_key: String,
}

impl Demo {
    pub fn case(&self, reference: &str) -> (&str, &str) {
        let (_, token, birth) = self
            .cases
            .iter()
            .find(|(r, _, _)| r == reference)
            .unwrap_or_else(|| panic!("demo case {reference}"));
        (token, birth)
    }

    pub fn contact(&self, name: &str) -> &str {
        &self
            .contacts
            .iter()
            .find(|(_, n)| n.starts_with(name))
            .unwrap_or_else(|| panic!("demo contact {name}"))
            .0
    }
}

/// The server under test: its process, its log and its address.
pub struct Server {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
    pub base: String,
    pub demo: Demo,
    _dir: tempfile::TempDir,
}

fn relais(dir: &Path, database_url: &str, base: &str) -> Command {
    let doctrine: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "doctrine", "replay"]
        .iter()
        .collect();
    let mut command = Command::new(env!("CARGO_BIN_EXE_relais"));
    command
        .current_dir(dir)
        .env("RELAIS_DATABASE_URL", database_url)
        .env("RELAIS_PUBLIC_URL", base)
        .env("RELAIS_DOCTRINE_DIR", doctrine)
        .env("RELAIS_SMS_PROVIDER", "log")
        .env("RELAIS_SMS_LOG_FILE", dir.join("sms.log"))
        .env("RELAIS_LOG", "info")
        .stdin(Stdio::null());
    command
}

fn run(mut command: Command, what: &str) -> String {
    let output = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn api_key(dir: &Path, url: &str, base: &str, name: &str, rights: &str) -> String {
    let mut command = relais(dir, url, base);
    command.args(["apikey", "add", name, "--rights", rights]);
    let printed = run(command, "relais apikey add");
    printed
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("rk_"))
        .unwrap_or_else(|| panic!("no key printed: {printed}"))
        .to_owned()
}

/// A demo case's reference, link token and date of birth.
type DemoCase = (String, String, String);
/// Two texts: a contact's token and name, a staff member's name and password.
type Pair = (String, String);

/// Reads what `relais demo` printed.
fn parse_demo(printed: &str) -> (Vec<DemoCase>, Vec<Pair>, Vec<Pair>) {
    let mut cases = Vec::new();
    let mut contacts = Vec::new();
    let mut staff = Vec::new();
    for line in printed.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let token_after = |url: &str, marker: &str| url.split(marker).nth(1).map(str::to_owned);
        match words.as_slice() {
            [reference, url, "born", birth, ..] if reference.starts_with("DEMO-") => {
                let token = token_after(url, "/d/").expect("a case link");
                cases.push(((*reference).to_owned(), token, (*birth).to_owned()));
            }
            [url, first, ..] if url.contains("/c/") => {
                let token = token_after(url, "/c/").expect("a contact link");
                contacts.push((token, (*first).to_owned()));
            }
            [username, _role, "password:", password] => {
                staff.push(((*username).to_owned(), (*password).to_owned()));
            }
            _ => {}
        }
    }
    assert!(
        cases.len() >= 5 && contacts.len() >= 5 && !staff.is_empty(),
        "the demo's links and passwords were not found in:\n{printed}"
    );
    (cases, contacts, staff)
}

impl Server {
    /// Loads the demo into a fresh database, makes the API keys, starts
    /// `relais serve` and waits until it listens.
    pub async fn start() -> Server {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("relais.db").display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let base = format!("http://127.0.0.1:{port}");

        let mut command = relais(dir.path(), &url, &base);
        command.arg("demo");
        let (cases, contacts, staff) = parse_demo(&run(command, "relais demo"));
        let full_key = api_key(dir.path(), &url, &base, "malformed-feed", "intake,export");
        let export_key = api_key(dir.path(), &url, &base, "malformed-export", "export");

        let mut command = relais(dir.path(), &url, &base);
        command
            .arg("serve")
            .env("RELAIS_ADDR", format!("127.0.0.1:{port}"))
            .env("RELAIS_SMS_INBOUND_SECRET", INBOUND_SECRET)
            // Failed staff sign-ins are delayed from the third: keep it short.
            .env("RELAIS_SIGN_IN_DELAY_MS", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("relais serve starts");
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let lines = BufReader::new(child.stderr.take().expect("stderr"));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in lines.lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        let server = Server {
            child,
            log,
            base,
            demo: Demo {
                cases,
                contacts,
                staff,
                full_key,
                export_key,
            },
            _dir: dir,
        };
        let started = Instant::now();
        while !server.log_contains("Relais is listening") {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "relais serve did not start:\n{}",
                server.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }

    pub fn log_contains(&self, text: &str) -> bool {
        self.log.lock().unwrap().iter().any(|l| l.contains(text))
    }

    pub fn log_text(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// The lines of the log that tell of a panic.
    pub fn panics(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("panicked"))
            .cloned()
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer, read whole.
pub struct Answer {
    pub status: StatusCode,
    /// Where it redirects, as a path on the site (empty if it does not).
    pub location: String,
    pub body: String,
}

impl Answer {
    pub fn excerpt(&self) -> String {
        let body: String = self.body.chars().take(300).collect();
        format!("{} → {:?} {body:?}", self.status, self.location)
    }
}

/// Sends the requests: counts them, files every server error (and every
/// request left without an answer) and the failed expectations.
pub struct Probe {
    pub base: String,
    client: reqwest::Client,
    sent: AtomicUsize,
    server_errors: AtomicUsize,
    /// Requests whose connection the server closed after a 413 before the
    /// client had written the whole body (not a failure).
    cut_short: AtomicUsize,
    problems: Mutex<Vec<String>>,
}

impl Probe {
    pub fn new(base: &str) -> Probe {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // A new connection a request: after a 413 the server closes a
            // connection whose body it did not read, which a pooled
            // connection would only show on the next request.
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(60))
            .build()
            .expect("HTTP client");
        Probe {
            base: base.to_owned(),
            client,
            sent: AtomicUsize::new(0),
            server_errors: AtomicUsize::new(0),
            cut_short: AtomicUsize::new(0),
            problems: Mutex::default(),
        }
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base))
    }

    /// A form post from one of the site's pages (its origin), as a browser
    /// without JavaScript sends it, with the session cookie if any.
    pub fn form_post(&self, path: &str, session: Option<&str>) -> RequestBuilder {
        let request = self
            .request(Method::POST, path)
            .header("origin", &self.base)
            .header("accept", "text/html,application/xhtml+xml");
        match session {
            Some(secret) => request.header("cookie", format!("relais_session={secret}")),
            None => request,
        }
    }

    /// Sends one request: its answer, or `None` (filed) when none came.
    /// `oversized`: the body is over a limit, so that the server may close
    /// the connection after its 413 while the body is still being sent.
    pub async fn send(
        &self,
        what: &str,
        request: RequestBuilder,
        oversized: bool,
    ) -> Option<Answer> {
        self.sent.fetch_add(1, Ordering::Relaxed);
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) if oversized && !e.is_timeout() => {
                self.cut_short.fetch_add(1, Ordering::Relaxed);
                return None;
            }
            Err(e) => {
                self.problem(format!("{what}: no answer ({e})"));
                return None;
            }
        };
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let location = location
            .strip_prefix(&self.base)
            .unwrap_or(location)
            .to_owned();
        let body = match response.bytes().await {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                self.problem(format!("{what}: {status}, body cut ({e})"));
                String::new()
            }
        };
        let answer = Answer {
            status,
            location,
            body,
        };
        if status.is_server_error() {
            self.server_errors.fetch_add(1, Ordering::Relaxed);
            self.problem(format!("{what}: server error {}", answer.excerpt()));
        }
        Some(answer)
    }

    pub fn problem(&self, text: String) {
        // Overlong values would drown the report.
        let mut text: String = text.chars().take(600).collect();
        text = text.replace(&"a".repeat(40), "a…a");
        self.problems.lock().unwrap().push(text);
    }

    pub fn sent(&self) -> usize {
        self.sent.load(Ordering::Relaxed)
    }

    pub fn server_errors(&self) -> usize {
        self.server_errors.load(Ordering::Relaxed)
    }

    pub fn cut_short(&self) -> usize {
        self.cut_short.load(Ordering::Relaxed)
    }

    pub fn problems(&self) -> Vec<String> {
        self.problems.lock().unwrap().clone()
    }
}
