//! The national peak of `bench/README.md` as a goose load test.
//!
//! Each journey makes the requests a browser or a gateway makes, in order,
//! with its cookies and forms. Every user draws its next journey at random,
//! in proportion to the journeys per second of the model, so that the mix of
//! every step is the model's whatever its number of users (with one
//! scenario per journey, 8 users gave each journey about one user, and a
//! gateway's reply, one quick request, then weighed as much as a case's
//! declaration of 25). The load is stepped up (`LOAD_USERS`, closed-loop
//! users without think time) until the p99 of every request passes `LOAD_P99_MS`; each step's figures
//! are printed, then the highest throughput seen within the target.
//!
//! Environment (scripts/load sets it):
//! - `LOAD_HOSTS`: the nodes' base URLs, comma-separated (users spread over them)
//! - `LOAD_CASE_LINKS`: `LINK<TAB>BIRTH DATE` lines (`relais generate --links`)
//! - `LOAD_DEMO`: the printout of `relais demo` (contact links, staff passwords)
//! - `LOAD_STATICS`: the CSS, JS and WASM paths a first visit loads, comma-separated
//! - `LOAD_INBOUND_SECRET`, `LOAD_API_KEY`: for the gateway's replies and the labs' batches
//! - `LOAD_USERS` (`8,16,32,64,128`), `LOAD_SECONDS` (20), `LOAD_P99_MS` (50)

// A client of the service, outside it: the wall clock is its own (the
// workspace's rule sends the service's code to the database's clock).
#![allow(clippy::disallowed_methods)]

use goose::prelude::*;
use hmac::{Hmac, Mac};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// What the journeys draw on, read once.
struct Data {
    hosts: Vec<String>,
    case_links: Vec<(String, String)>,
    contact_paths: Vec<String>,
    statics: Vec<String>,
    tracer: (String, String),
    supervisor: (String, String),
    /// The `relais_staff=…` pairs of the tracer and the supervisor, signed in
    /// once before the steps (sessions are in the database: every node
    /// takes them). Each user sends its own citizen cookies from its jar.
    tracer_cookie: String,
    supervisor_cookie: String,
    /// The draws of the journeys (splitmix64's state).
    draws: AtomicU64,
    inbound_secret: String,
    api_key: String,
    next_case: AtomicUsize,
    next_contact: AtomicUsize,
    next_host: AtomicUsize,
    counter: AtomicUsize,
    /// Case journeys whose date of birth was refused: the rest of the
    /// journey did not run, so the step measured a lighter mix than the
    /// model's. Errors. (A refused staff sign-in stops the run before the
    /// steps: see [`staff_cookie`].)
    cut_short: AtomicUsize,
}

static DATA: OnceLock<Data> = OnceLock::new();

fn data() -> &'static Data {
    DATA.get().expect("data loaded before the attack")
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}

/// The path of a URL (`https://host/d/x` → `/d/x`).
fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.find('/')
        .map_or("/".to_owned(), |i| rest[i..].to_owned())
}

fn load_data() -> Data {
    let links = std::fs::read_to_string(env("LOAD_CASE_LINKS")).unwrap_or_default();
    let case_links = links
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(link, born)| (path_of(link), born.to_owned()))
        .collect();
    let demo = std::fs::read_to_string(env("LOAD_DEMO")).unwrap_or_default();
    let contact_paths = demo
        .split_whitespace()
        .filter(|word| word.contains("/c/"))
        .map(path_of)
        .collect();
    let password = |user: &str| {
        demo.lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>())
            .find(|w| w.len() >= 4 && w[0] == user && w[2] == "password:")
            .map(|w| w[3].to_owned())
            .unwrap_or_default()
    };
    let list = |name: &str| {
        env(name)
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    Data {
        hosts: list("LOAD_HOSTS"),
        case_links,
        contact_paths,
        statics: list("LOAD_STATICS"),
        tracer: ("demo-tracer".into(), password("demo-tracer")),
        supervisor: ("demo-supervisor".into(), password("demo-supervisor")),
        inbound_secret: env("LOAD_INBOUND_SECRET"),
        api_key: env("LOAD_API_KEY"),
        next_case: AtomicUsize::new(0),
        next_contact: AtomicUsize::new(0),
        next_host: AtomicUsize::new(0),
        counter: AtomicUsize::new(0),
        cut_short: AtomicUsize::new(0),
        tracer_cookie: String::new(),
        supervisor_cookie: String::new(),
        draws: AtomicU64::new(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64),
        ),
    }
}

/// A civil date `days_ago` days before today (UTC, which is never ahead of
/// the service's Paris day, so never in its future), as (day, month, year).
fn date_ago(days_ago: i64) -> (i64, i64, i64) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // Days from 1970-01-01 to a civil date, inverted (H. Hinnant's algorithm).
    let z = now / 86_400 - days_ago + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (day, month, yoe + era * 400 + i64::from(month <= 2))
}

/// Every user: its node (in turn), a client that keeps cookies and does not
/// follow redirects (each request is measured alone, as a browser makes it).
async fn setup(user: &mut GooseUser) -> TransactionResult {
    let d = data();
    if !d.hosts.is_empty() {
        let host = &d.hosts[d.next_host.fetch_add(1, Ordering::Relaxed) % d.hosts.len()];
        user.set_base_url(host)?;
    }
    // What a browser asks for: brotli first (the body is not read, but for
    // the tracer's search, asked in gzip, which the client decodes).
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "accept-encoding",
        reqwest::header::HeaderValue::from_static("gzip, deflate, br"),
    );
    user.set_client_builder(
        reqwest::Client::builder()
            .default_headers(headers)
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30)),
    )
    .await?;
    Ok(())
}

fn origin(user: &GooseUser) -> String {
    user.base_url.as_str().trim_end_matches('/').to_owned()
}

async fn get(user: &mut GooseUser, path: &str, name: &str) -> TransactionResult {
    let builder = with_staff(user, user.get_request_builder(&GooseMethod::Get, path)?);
    let request = GooseRequest::builder()
        .path(path)
        .name(name)
        .set_request_builder(builder)
        .build();
    user.request(request).await?;
    Ok(())
}

/// The staff session the current journey's requests carry, if any (set by
/// [`mixed`] before a tracer's or a supervisor's journey).
#[derive(Clone)]
struct StaffCookie(Option<&'static str>);

/// `builder` with the journey's staff session, when it has one (the client
/// then sends it instead of its jar's cookies).
fn with_staff(user: &GooseUser, builder: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    match user.get_session_data::<StaffCookie>() {
        Some(StaffCookie(Some(cookie))) => builder.header("cookie", *cookie),
        _ => builder,
    }
}

/// A GET answered with a redirect (a link that opens a session).
async fn get_redirect(user: &mut GooseUser, path: &str, name: &str) -> TransactionResult {
    let request = GooseRequest::builder()
        .path(path)
        .name(name)
        .expect_status_code(302)
        .build();
    user.request(request).await?;
    Ok(())
}

/// A POST built by `builder` (its headers and body), measured under `name`.
async fn post_built(
    user: &mut GooseUser,
    path: &str,
    name: &str,
    builder: reqwest::RequestBuilder,
    expected: Option<u16>,
) -> Result<goose::goose::GooseResponse, Box<TransactionError>> {
    let mut request = GooseRequest::builder()
        .method(GooseMethod::Post)
        .path(path)
        .name(name)
        .set_request_builder(builder);
    if let Some(status) = expected {
        request = request.expect_status_code(status);
    }
    user.request(request.build()).await
}

/// A form posted as a browser posts it (its origin, `Accept: text/html`).
async fn post_form(
    user: &mut GooseUser,
    path: &str,
    name: &str,
    form: &[(&str, String)],
) -> Result<String, Box<TransactionError>> {
    let builder = with_staff(user, user.get_request_builder(&GooseMethod::Post, path)?)
        .header("origin", origin(user))
        .header("accept", "text/html")
        .form(form);
    let response = post_built(user, path, name, builder, Some(302)).await?;
    Ok(response
        .response
        .ok()
        .and_then(|r| {
            r.headers()
                .get("location")?
                .to_str()
                .ok()
                .map(str::to_owned)
        })
        .unwrap_or_default())
}

async fn statics(user: &mut GooseUser) -> TransactionResult {
    for path in &data().statics {
        get(user, path, "static file").await?;
    }
    Ok(())
}

/// The next case link, or none when the file is used up.
fn next_case() -> Option<&'static (String, String)> {
    let d = data();
    d.case_links
        .get(d.next_case.fetch_add(1, Ordering::Relaxed))
}

/// Opens a case's file: its link, the first visit's files, the date of birth.
async fn open_case(user: &mut GooseUser) -> Result<bool, Box<TransactionError>> {
    let Some((path, born)) = next_case() else {
        get(user, "/", "home (no case link left)").await?;
        return Ok(false);
    };
    get(user, path, "case link").await?;
    statics(user).await?;
    let token = path.rsplit('/').next().unwrap_or_default().to_owned();
    let mut parts = born
        .split('-')
        .map(|p| p.trim_start_matches('0').to_owned());
    let (year, month, day) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let to = post_form(
        user,
        "/api/case/identity",
        "identity POST",
        &[
            ("token", token),
            ("day", day),
            ("month", month),
            ("year", year),
        ],
    )
    .await?;
    get(user, "/dossier", "case file").await?;
    let opened = to.ends_with("/dossier");
    if !opened {
        data().cut_short.fetch_add(1, Ordering::Relaxed);
    }
    Ok(opened)
}

/// A case who declares: situation, four contacts, places, check, send.
async fn case_declaring(user: &mut GooseUser) -> TransactionResult {
    if !open_case(user).await? {
        return Ok(());
    }
    get(user, "/dossier/situation", "situation form").await?;
    get(user, "/dossier/contacts", "contact list").await?;
    let (day, month, year) = date_ago(1);
    for k in 0..4 {
        get(user, "/dossier/contacts/nouveau", "contact form").await?;
        let n = data().counter.fetch_add(1, Ordering::Relaxed);
        post_form(
            user,
            "/api/case/contact",
            "contact POST",
            &[
                ("contact", "nouveau".into()),
                ("first_name", "Charge".into()),
                ("last_name", format!("Contact{k}")),
                ("phone", format!("06399{:05}", n % 100_000)),
                ("relationship", "work".into()),
                ("day", day.to_string()),
                ("month", month.to_string()),
                ("year", year.to_string()),
                ("exposure_face_to_face", "on".into()),
                ("minor", "non".into()),
            ],
        )
        .await?;
        get(user, "/dossier/contacts", "contact list").await?;
    }
    get(user, "/dossier/lieux", "place list").await?;
    get(user, "/dossier/envoi", "check answers").await?;
    post_form(user, "/api/case/submit", "send POST", &[]).await?;
    get(user, "/dossier/envoyee", "confirmation").await?;
    Ok(())
}

/// A case who opens the link and leaves it to the call.
async fn case_opening(user: &mut GooseUser) -> TransactionResult {
    open_case(user).await?;
    Ok(())
}

/// A contact: the link (a session), the page, the first visit's files, the attestation.
async fn contact(user: &mut GooseUser) -> TransactionResult {
    let d = data();
    if d.contact_paths.is_empty() {
        return get(user, "/", "home (no contact link)").await;
    }
    let path =
        &d.contact_paths[d.next_contact.fetch_add(1, Ordering::Relaxed) % d.contact_paths.len()];
    get_redirect(user, path, "contact link").await?;
    get(user, "/contact", "contact page").await?;
    statics(user).await?;
    get(user, "/contact/attestation", "contact attestation").await?;
    Ok(())
}

/// Signs `name` in once, before the steps: its `relais_staff=…` pair. A
/// refused sign-in stops the run (every page of the journey would be a
/// redirect to the sign-in page, a lighter mix than the model's).
async fn staff_cookie(host: &str, (name, password): &(String, String)) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let response = client
        .post(format!("{host}/api/staff/sign-in"))
        .header("origin", host)
        .header("accept", "text/html")
        .form(&[("username", name.as_str()), ("password", password.as_str())])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{name} could not sign in: {e}"));
    let signed_in = response
        .headers()
        .get("location")
        .is_some_and(|to| to.as_bytes() == b"/equipe");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("relais_staff="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    match cookie {
        Some(cookie) if signed_in => cookie,
        _ => panic!("{name} could not sign in ({})", response.status()),
    }
}

/// A tracer's review: the queue, a search, the case's page, the call
/// recorded, the list validated, back to the queue.
async fn tracer(user: &mut GooseUser) -> TransactionResult {
    get(user, "/equipe", "queue").await?;
    let n = data().counter.fetch_add(1, Ordering::Relaxed) % 10_000;
    let search = format!("/equipe?q=GEN-{n:08}");
    let builder = with_staff(user, user.get_request_builder(&GooseMethod::Get, &search)?)
        .header("accept-encoding", "gzip");
    let request = GooseRequest::builder()
        .path(search.as_str())
        .name("queue search")
        .set_request_builder(builder)
        .build();
    let response = user.request(request).await?;
    let body = match response.response {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    if let Some(at) = body.find("href=\"/equipe/dossiers/") {
        let rest = &body[at + 6..];
        let page = rest[..rest.find('"').unwrap_or(0)].to_owned();
        let case_page = get_text(user, &page, "case page (tracer)").await?;
        // The call, then the list validated at the version the page showed.
        let case_id = page
            .trim_start_matches("/equipe/dossiers/")
            .split(['?', '#', '/'])
            .next()
            .unwrap_or_default()
            .to_owned();
        post_form(
            user,
            "/api/staff/call",
            "call POST",
            &[
                ("case_id", case_id.clone()),
                ("outcome", "reached".to_owned()),
                ("call_back", String::new()),
            ],
        )
        .await?;
        if let Some(version) = hidden_value(&case_page, "version") {
            // A call is not a change of the list: the page's version holds.
            post_form(
                user,
                "/api/staff/validate",
                "validation POST",
                &[("case_id", case_id), ("version", version)],
            )
            .await?;
        }
    }
    get(user, "/equipe", "queue").await?;
    Ok(())
}

/// A GET whose body is read (gzip: the client has no brotli decoder).
async fn get_text(
    user: &mut GooseUser,
    path: &str,
    name: &str,
) -> Result<String, Box<TransactionError>> {
    let builder = with_staff(user, user.get_request_builder(&GooseMethod::Get, path)?)
        .header("accept-encoding", "gzip");
    let request = GooseRequest::builder()
        .path(path)
        .name(name)
        .set_request_builder(builder)
        .build();
    let response = user.request(request).await?;
    Ok(match response.response {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    })
}

/// The value of the first hidden input named `name` in `html`.
fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html.find(&marker)? + marker.len();
    let rest = &html[at..];
    Some(rest[..rest.find('"')?].to_owned())
}

async fn dashboard(user: &mut GooseUser) -> TransactionResult {
    get(user, "/equipe/supervision", "dashboard").await?;
    get(user, "/equipe/supervision/foyers", "clusters").await
}

/// The SMS gateway posting a reply, signed as it signs.
async fn sms_reply(user: &mut GooseUser) -> TransactionResult {
    let n = data().counter.fetch_add(1, Ordering::Relaxed);
    let body = serde_json::json!({
        "id": format!("load-{}-{n}", std::process::id()),
        "from": format!("+3363998{:04}", n % 10_000),
        "text": "1",
    })
    .to_string();
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(data().inbound_secret.as_bytes())
        .expect("any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let signature: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let builder = user
        .get_request_builder(&GooseMethod::Post, "/api/sms/inbound")?
        .header("content-type", "application/json")
        .header("x-relais-timestamp", timestamp)
        .header("x-relais-signature", signature)
        .body(body);
    post_built(user, "/api/sms/inbound", "inbound SMS", builder, None).await?;
    Ok(())
}

/// A lab's batch of 500 new cases through the integration API.
async fn intake(user: &mut GooseUser) -> TransactionResult {
    let (day, month, year) = date_ago(1);
    let sampled = format!("{year:04}-{month:02}-{day:02}");
    let batch = data().counter.fetch_add(1, Ordering::Relaxed);
    let cases: Vec<_> = (0..500)
        .map(|i| {
            serde_json::json!({
                "lab_reference": format!("LOAD-{}-{batch}-{i}", std::process::id()),
                "first_name": "Charge",
                "last_name": format!("Lot{batch}"),
                "birth_date": "1980-01-01",
                "phone": format!("+3363998{:04}", i),
                "sample_date": sampled,
                "test_type": "pcr",
            })
        })
        .collect();
    let builder = user
        .get_request_builder(&GooseMethod::Post, "/api/v1/cases")?
        .header("authorization", format!("Bearer {}", data().api_key))
        .header("content-type", "application/json")
        .body(serde_json::json!({ "cases": cases }).to_string());
    post_built(user, "/api/v1/cases", "intake batch (500)", builder, None).await?;
    Ok(())
}

/// The first node's base URL (goose's default host; staff sign in there).
fn first_host(d: &Data) -> String {
    d.hosts
        .first()
        .cloned()
        .unwrap_or_else(|| "http://127.0.0.1:3000".into())
}

/// The journeys and their weights: journeys per second at the peak, in
/// thousandths (bench/README.md's table).
const JOURNEYS: [(Journey, u64); 7] = [
    (Journey::CaseDeclaring, 8_700),
    (Journey::CaseOpening, 4_300),
    (Journey::Tracer, 17_400),
    (Journey::Contact, 27_800),
    (Journey::InboundSms, 11_600),
    (Journey::Supervisor, 4_200),
    (Journey::Intake, 35),
];

#[derive(Debug, Clone, Copy)]
enum Journey {
    CaseDeclaring,
    CaseOpening,
    Tracer,
    Contact,
    InboundSms,
    Supervisor,
    Intake,
}

/// A number drawn from `state` (splitmix64), shared by every user.
fn draw(state: &AtomicU64) -> u64 {
    let mut z = state
        .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The journey of a draw `x`, in proportion to the weights.
fn journey_of(x: u64) -> Journey {
    let total: u64 = JOURNEYS.iter().map(|(_, w)| w).sum();
    let mut at = x % total;
    for (journey, weight) in JOURNEYS {
        if at < weight {
            return journey;
        }
        at -= weight;
    }
    Journey::Contact
}

/// One journey, drawn in proportion to the model's journeys per second.
async fn mixed(user: &mut GooseUser) -> TransactionResult {
    let d = data();
    let journey = journey_of(draw(&d.draws));
    let staff = match journey {
        Journey::Tracer => Some(d.tracer_cookie.as_str()),
        Journey::Supervisor => Some(d.supervisor_cookie.as_str()),
        _ => None,
    };
    user.set_session_data(StaffCookie(staff));
    match journey {
        Journey::CaseDeclaring => case_declaring(user).await,
        Journey::CaseOpening => case_opening(user).await,
        Journey::Tracer => tracer(user).await,
        Journey::Contact => contact(user).await,
        Journey::InboundSms => sms_reply(user).await,
        Journey::Supervisor => dashboard(user).await,
        Journey::Intake => intake(user).await,
    }
}

/// The time in ms within which the share `p` of `count` requests was
/// answered, from their times in µs by bucket, fastest first.
fn percentile<'a>(
    times: impl IntoIterator<Item = (&'a u64, &'a usize)>,
    count: usize,
    p: f64,
) -> f64 {
    let rank = (count as f64 * p).ceil() as usize;
    let mut seen = 0;
    for (us, n) in times {
        seen += n;
        if seen >= rank {
            return *us as f64 / 1000.0;
        }
    }
    0.0
}

/// One step: `users` users for `seconds`; returns (requests/s, p50 ms, p99 ms, errors, requests).
async fn step(users: usize, seconds: usize) -> Result<(f64, f64, f64, usize, usize), GooseError> {
    use std::sync::Arc;
    let scenario = scenario!("peak")
        .register_transaction(Transaction::new(Arc::new(|u| Box::pin(setup(u)))).set_on_start())
        .register_transaction(Transaction::new(Arc::new(|u| Box::pin(mixed(u)))));
    let host = first_host(data());
    let mut attack =
        *GooseAttack::initialize_with_config(goose::config::GooseConfiguration::default())?
            .set_default(GooseDefault::Host, host.as_str())?
            .set_default(GooseDefault::Users, users)?
            .set_default(GooseDefault::IncreaseRate, &*format!("{users}"))?
            .set_default(GooseDefault::RunTime, seconds)?
            .set_default(GooseDefault::Quiet, 1usize)?
            .set_default(GooseDefault::NoPrintMetrics, true)?
            .set_default(GooseDefault::NoErrorSummary, true)?
            .set_default(GooseDefault::NoTelnet, true)?;
    attack = attack.register_scenario(scenario);
    let cut_before = data().cut_short.load(Ordering::Relaxed);
    let metrics = attack.execute().await?;
    let cut_short = data().cut_short.load(Ordering::Relaxed) - cut_before;
    let mut times: BTreeMap<u64, usize> = BTreeMap::new();
    let (mut requests, mut errors) = (0usize, 0usize);
    for aggregate in metrics.requests.values() {
        requests += aggregate.raw_data.counter;
        errors += aggregate.fail_count;
        for (us, n) in aggregate.raw_data.times_us.iter() {
            *times.entry(*us).or_default() += n;
        }
    }
    let per_second = requests as f64 / metrics.duration.max(1) as f64;
    if cut_short > 0 {
        eprintln!("  failed: {cut_short} case journeys cut short (date of birth refused)");
        errors += cut_short;
    }
    // Which requests failed, and with which statuses: an error is a finding.
    // LOAD_NAMES=1: every request's count and statuses (the mix measured).
    for (name, aggregate) in &metrics.requests {
        if env("LOAD_NAMES") == "1" {
            let p99 = percentile(
                &aggregate.raw_data.times_us,
                aggregate.raw_data.counter,
                0.99,
            );
            eprintln!(
                "  {name}: {} (p99 {p99:.1} ms, {:?})",
                aggregate.raw_data.counter, aggregate.status_code_counts
            );
        }
        if aggregate.fail_count > 0 {
            eprintln!(
                "  failed: {name}: {} of {} ({:?})",
                aggregate.fail_count, aggregate.raw_data.counter, aggregate.status_code_counts
            );
        }
    }
    Ok((
        per_second,
        percentile(&times, requests, 0.50),
        percentile(&times, requests, 0.99),
        errors,
        requests,
    ))
}

#[tokio::main]
async fn main() -> Result<(), GooseError> {
    let mut loaded = load_data();
    let first = first_host(&loaded);
    loaded.tracer_cookie = staff_cookie(&first, &loaded.tracer).await;
    loaded.supervisor_cookie = staff_cookie(&first, &loaded.supervisor).await;
    let _ = DATA.set(loaded);
    let d = data();
    eprintln!(
        "load: {} node(s), {} case links, {} contact links, {} static files",
        d.hosts.len(),
        d.case_links.len(),
        d.contact_paths.len(),
        d.statics.len()
    );
    let steps: Vec<usize> = std::env::var("LOAD_USERS")
        .unwrap_or_else(|_| "8,16,32,64,128".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let seconds: usize = env("LOAD_SECONDS").parse().unwrap_or(20);
    let target: f64 = env("LOAD_P99_MS").parse().unwrap_or(50.0);
    println!(
        "{:>6} {:>10} {:>9} {:>9} {:>8} {:>10}",
        "users", "req/s", "p50 ms", "p99 ms", "errors", "requests"
    );
    let mut best: Option<(usize, f64, usize)> = None;
    for users in steps {
        let (per_second, p50, p99, errors, requests) = step(users, seconds).await?;
        println!("{users:>6} {per_second:>10.0} {p50:>9.2} {p99:>9.2} {errors:>8} {requests:>10}");
        if p99 <= target && best.is_none_or(|(_, b, _)| per_second > b) {
            best = Some((users, per_second, errors));
        }
        if p99 > target {
            break;
        }
    }
    match best {
        Some((users, per_second, errors)) => println!(
            "sustained at p99 <= {target} ms: {per_second:.0} requests/s ({users} users, {errors} errors)"
        ),
        None => println!("no step kept p99 <= {target} ms"),
    }
    Ok(())
}
