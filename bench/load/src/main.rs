//! The national peak of `bench/README.md` as a goose load test.
//!
//! Each journey is a goose scenario making the requests a browser or a
//! gateway makes, in order, with its cookies and forms; the scenarios get
//! users in proportion to the requests per second the model gives them. The
//! load is stepped up (`LOAD_USERS`, closed-loop users without think time)
//! until the p99 of every request passes `LOAD_P99_MS`; each step's figures
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
use std::sync::atomic::{AtomicUsize, Ordering};
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
    inbound_secret: String,
    api_key: String,
    next_case: AtomicUsize,
    next_contact: AtomicUsize,
    next_host: AtomicUsize,
    counter: AtomicUsize,
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
    }
}

/// A civil date `days_ago` days before today (UTC), as (day, month, year).
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
    let request = GooseRequest::builder().path(path).name(name).build();
    user.request(request).await?;
    Ok(())
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
    let builder = user
        .get_request_builder(&GooseMethod::Post, path)?
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
    Ok(to.ends_with("/dossier"))
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

async fn sign_in(user: &mut GooseUser, (name, password): &(String, String)) -> TransactionResult {
    setup(user).await?;
    post_form(
        user,
        "/api/staff/sign-in",
        "staff sign-in",
        &[("username", name.clone()), ("password", password.clone())],
    )
    .await?;
    Ok(())
}

async fn tracer_start(user: &mut GooseUser) -> TransactionResult {
    sign_in(user, &data().tracer).await
}

/// A tracer's review: the queue, a search, the case's page, the call
/// recorded, the list validated, back to the queue.
async fn tracer(user: &mut GooseUser) -> TransactionResult {
    get(user, "/equipe", "queue").await?;
    let n = data().counter.fetch_add(1, Ordering::Relaxed) % 10_000;
    let search = format!("/equipe?q=GEN-{n:08}");
    let builder = user
        .get_request_builder(&GooseMethod::Get, &search)?
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
    let builder = user
        .get_request_builder(&GooseMethod::Get, path)?
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

async fn supervisor_start(user: &mut GooseUser) -> TransactionResult {
    sign_in(user, &data().supervisor).await
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

/// A scenario: `setup` (or a sign-in) first, then its journey in a loop.
fn journey(
    name: &str,
    weight: usize,
    start: TransactionFunction,
    run: TransactionFunction,
) -> Result<Scenario, GooseError> {
    scenario!(name)
        .set_weight(weight)
        .map(|s| s.register_transaction(Transaction::new(start).set_on_start()))
        .map(|s| s.register_transaction(Transaction::new(run)))
}

/// One step: `users` users for `seconds`; returns (requests/s, p50 ms, p99 ms, errors, requests).
async fn step(users: usize, seconds: usize) -> Result<(f64, f64, f64, usize, usize), GooseError> {
    use std::sync::Arc;
    let setup_fn: TransactionFunction = Arc::new(|u| Box::pin(setup(u)));
    // Weights: each journey's requests per second at the peak (bench/README.md).
    let scenarios = [
        journey(
            "case declaring",
            217,
            setup_fn.clone(),
            Arc::new(|u| Box::pin(case_declaring(u))),
        )?,
        journey(
            "case opening only",
            26,
            setup_fn.clone(),
            Arc::new(|u| Box::pin(case_opening(u))),
        )?,
        journey(
            "tracer",
            104,
            Arc::new(|u| Box::pin(tracer_start(u))),
            Arc::new(|u| Box::pin(tracer(u))),
        )?,
        journey(
            "contact",
            167,
            setup_fn.clone(),
            Arc::new(|u| Box::pin(contact(u))),
        )?,
        journey(
            "inbound SMS",
            12,
            setup_fn.clone(),
            Arc::new(|u| Box::pin(sms_reply(u))),
        )?,
        journey(
            "supervisor",
            8,
            Arc::new(|u| Box::pin(supervisor_start(u))),
            Arc::new(|u| Box::pin(dashboard(u))),
        )?,
        // A batch every 30 s or so per intake user: the labs' pace.
        journey("intake", 2, setup_fn, Arc::new(|u| Box::pin(intake(u))))?.set_wait_time(
            std::time::Duration::from_secs(25),
            std::time::Duration::from_secs(30),
        )?,
    ];
    let host = data()
        .hosts
        .first()
        .cloned()
        .unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let mut attack =
        *GooseAttack::initialize_with_config(goose::config::GooseConfiguration::default())?
            .set_scheduler(GooseScheduler::Random)
            .set_default(GooseDefault::Host, host.as_str())?
            .set_default(GooseDefault::Users, users)?
            .set_default(GooseDefault::IncreaseRate, &*format!("{users}"))?
            .set_default(GooseDefault::RunTime, seconds)?
            .set_default(GooseDefault::Quiet, 1usize)?
            .set_default(GooseDefault::NoPrintMetrics, true)?
            .set_default(GooseDefault::NoErrorSummary, true)?
            .set_default(GooseDefault::NoTelnet, true)?;
    for scenario in scenarios {
        attack = attack.register_scenario(scenario);
    }
    let metrics = attack.execute().await?;
    let mut times: BTreeMap<u64, usize> = BTreeMap::new();
    let (mut requests, mut errors) = (0usize, 0usize);
    for aggregate in metrics.requests.values() {
        requests += aggregate.raw_data.counter;
        errors += aggregate.fail_count;
        for (us, n) in aggregate.raw_data.times_us.iter() {
            *times.entry(*us).or_default() += n;
        }
    }
    let percentile = |p: f64| {
        let rank = (requests as f64 * p).ceil() as usize;
        let mut seen = 0;
        for (us, n) in &times {
            seen += n;
            if seen >= rank {
                return *us as f64 / 1000.0;
            }
        }
        0.0
    };
    let per_second = requests as f64 / metrics.duration.max(1) as f64;
    // Which requests failed, and with which statuses: an error is a finding.
    for (name, aggregate) in &metrics.requests {
        if aggregate.fail_count > 0 {
            eprintln!(
                "  failed: {name}: {} of {} ({:?})",
                aggregate.fail_count, aggregate.raw_data.counter, aggregate.status_code_counts
            );
        }
    }
    Ok((
        per_second,
        percentile(0.50),
        percentile(0.99),
        errors,
        requests,
    ))
}

#[tokio::main]
async fn main() -> Result<(), GooseError> {
    let _ = DATA.set(load_data());
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
