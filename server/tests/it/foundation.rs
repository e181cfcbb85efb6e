//! The foundation, through real HTTP on a random port, on SQLite and (when
//! `RELAIS_TEST_POSTGRES_URL` is set) PostgreSQL: migrations, headers,
//! health, metrics, the language switch, the origin guard and bad input.

use crate::common::{engine_test, sql, Engine, TestServer};
use reqwest::{Method, StatusCode};

const TABLES: [&str; 9] = [
    "cases",
    "contacts",
    "places",
    "link_tokens",
    "staff_users",
    "sessions",
    "login_attempts",
    "audit_log",
    "sms_outbox",
];

engine_test!(
    migrations_create_the_schema_and_are_idempotent,
    |engine| async move {
        let server = TestServer::start(engine).await;
        for table in TABLES {
            assert!(
                sql::table_exists(&server.db, table).await,
                "{engine:?}: table {table} missing"
            );
        }
        assert!(!sql::table_exists(&server.db, "no_such_table").await);
        // A second migration run (another node starting) changes nothing.
        server
            .db
            .migrate()
            .await
            .expect("migrating twice is harmless");
    }
);

#[tokio::test]
async fn sqlite_runs_in_wal_with_full_sync_and_foreign_keys() {
    let server = TestServer::start(Engine::Sqlite).await;
    let (journal_mode, synchronous, foreign_keys) = sql::sqlite_pragmas(&server.db).await;
    assert_eq!(journal_mode.to_lowercase(), "wal");
    assert_eq!(synchronous, 2, "synchronous=FULL is 2");
    assert_eq!(foreign_keys, 1);
}

engine_test!(
    home_page_in_french_by_default_with_security_headers,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let response = server
            .browser()
            .request(Method::GET, "/")
            .header("accept-encoding", "identity")
            .send()
            .await
            .expect("home page");
        assert_eq!(response.status(), StatusCode::OK);
        let h = response.headers().clone();
        let csp = h["content-security-policy"].to_str().unwrap().to_owned();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("script-src 'self' 'sha256-"), "{csp}");
        assert!(!csp.contains("nonce"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert!(h.contains_key("permissions-policy"));
        assert!(
            !h.contains_key("strict-transport-security"),
            "no HSTS over http"
        );
        let body = response.text().await.unwrap();
        assert!(
            body.contains("<html lang=\"fr\""),
            "{}",
            &body[..200.min(body.len())]
        );
        assert!(body.contains("Relais, le service de déclaration des contacts"));
        assert!(body.contains("href=\"#main\""), "skip link");
        assert!(body.contains("<main"), "main landmark");
        // Every inline script of the page is allowed by its hash, and the
        // policy allows nothing else inline.
        let inline = inline_scripts(&body);
        assert!(
            inline.len() >= 2 && inline[0].contains("hydrateIslands"),
            "the islands' bootstrap, then Leptos' hydration data: {inline:?}"
        );
        let mut allowed: Vec<&str> = csp
            .split("'sha256-")
            .skip(1)
            .map(|rest| rest.split('\'').next().unwrap())
            .collect();
        let mut hashes: Vec<String> = inline
            .iter()
            .map(|script| relais_server::http::page_scripts::script_sha256(script))
            .collect();
        allowed.sort_unstable();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(allowed, hashes, "{csp}");
        assert!(!body.contains("nonce="), "no nonce left in the page");
    }
);

/// A brotli body decoded.
fn unbrotli(compressed: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    brotli::Decompressor::new(compressed, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// The text of each inline `<script>` (one without `src`) of a page.
fn inline_scripts(page: &str) -> Vec<String> {
    let mut scripts = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find("<script") {
        let open_end = at + rest[at..].find('>').expect("tag end") + 1;
        let close = open_end + rest[open_end..].find("</script>").expect("script end");
        if !rest[at..open_end].contains(" src=") {
            scripts.push(rest[open_end..close].to_owned());
        }
        rest = &rest[close..];
    }
    scripts
}

#[tokio::test]
async fn hsts_when_the_public_url_is_https() {
    let server = TestServer::start_with(
        Engine::Sqlite,
        &[("RELAIS_PUBLIC_URL", "https://relais.example.fr")],
    )
    .await;
    let response = server.browser().get("/healthz").await;
    assert!(response.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
}

#[tokio::test]
async fn pages_are_compressed() {
    let server = TestServer::start(Engine::Sqlite).await;
    for encoding in ["br", "gzip"] {
        let response = server
            .browser()
            .request(Method::GET, "/")
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], encoding);
    }
}

#[tokio::test]
async fn a_page_in_brotli_is_the_page_whole_with_its_length() {
    let server = TestServer::start(Engine::Sqlite).await;
    let plain = server
        .browser()
        .request(Method::GET, "/")
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap();
    let response = server
        .browser()
        .request(Method::GET, "/")
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "br");
    // Whole: its length is known before the body (no chunked transfer).
    let length: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(response.headers()["vary"]
        .to_str()
        .unwrap()
        .contains("accept-encoding"));
    let compressed = response.bytes().await.unwrap();
    assert_eq!(compressed.len(), length);
    let page = unbrotli(&compressed);
    // The same bytes: nothing in a page differs from one response to the
    // next (its inline script is allowed by hash, not by a nonce).
    let (page, plain) = (
        String::from_utf8(page).unwrap(),
        String::from_utf8(plain.to_vec()).unwrap(),
    );
    let first = page
        .bytes()
        .zip(plain.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(page.len().min(plain.len()));
    assert!(
        page.contains("</html>") && page == plain,
        "the page differs from byte {first}: {:?} / {:?}",
        &page[first.saturating_sub(80)..(first + 80).min(page.len())],
        &plain[first.saturating_sub(80)..(first + 80).min(plain.len())]
    );
    assert!(
        compressed.len() * 2 < plain.len(),
        "{} B for {} B",
        compressed.len(),
        plain.len()
    );
}

/// Only the declaration's pages load the enhancement script: the home page,
/// a link's page and a contact's do without it (it would do nothing there).
#[tokio::test]
async fn only_the_declaration_s_pages_load_the_enhancement_script() {
    let server = TestServer::start(Engine::Sqlite).await;
    let script = app::enhance::script_url();
    let (_, token) = server.new_case("ENH-1").await;
    let visitor = server.browser();
    for path in ["/".to_owned(), format!("/d/{token}")] {
        let (status, page) = visitor.page(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!page.contains(&script), "{path} loads {script}");
    }
    let case = server.browser();
    case.sign_in(&token).await;
    for path in ["/dossier", "/dossier/contacts"] {
        let (status, page) = case.page(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            page.contains(&format!("<script src=\"{script}\" defer>")),
            "{path}"
        );
    }
}

/// The progressive-enhancement script goes to a client that takes brotli
/// compressed once at the best quality (smaller than the generic layer's
/// quality 4), whole; to another as it is; cached for a year at its version.
#[tokio::test]
async fn the_enhancement_script_is_served_at_brotli_s_best_quality() {
    let server = TestServer::start(Engine::Sqlite).await;
    let browser = server.browser();
    let url = app::enhance::script_url();
    let response = browser
        .request(Method::GET, &url)
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-encoding"], "br");
    assert!(response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let compressed = response.bytes().await.unwrap();
    assert_eq!(unbrotli(&compressed), app::enhance::SCRIPT.as_bytes());
    // Quality 4, as the generic layer would have sent it.
    let mut generic = Vec::new();
    brotli::BrotliCompress(
        &mut app::enhance::SCRIPT.as_bytes(),
        &mut generic,
        &brotli::enc::BrotliEncoderParams {
            quality: 4,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        compressed.len() < generic.len(),
        "{} B, quality 4: {} B",
        compressed.len(),
        generic.len()
    );
    // Without brotli: the script as it is.
    let plain = browser
        .request(Method::GET, &url)
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), app::enhance::SCRIPT);
}

engine_test!(healthz_reports_the_database, |engine| async move {
    let server = TestServer::start(engine).await;
    let response = server.browser().get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"]["reachable"], true, "{body}");
    assert_eq!(body["status"], "ok", "{body}");
    server.db.close().await;
    let response = server.browser().get("/healthz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
});

/// A page fetched as a browser does (brotli), decompressed.
async fn page_in_brotli(
    browser: &crate::common::browser::Browser,
    path: &str,
) -> (Vec<u8>, String, String) {
    let response = browser
        .request(Method::GET, path)
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(response.headers()["content-encoding"], "br", "{path}");
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let compressed = response.bytes().await.unwrap().to_vec();
    let page = unbrotli(&compressed);
    (compressed, String::from_utf8(page).unwrap(), csp)
}

/// `relais_page_cache_hits_total` (shared by the servers of this process).
async fn page_cache_hits(server: &TestServer) -> u64 {
    let text = server.browser().get("/metrics").await.text().await.unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix("relais_page_cache_hits_total "))
        .map_or(0, |n| n.trim().parse::<f64>().unwrap() as u64)
}

engine_test!(
    anonymous_pages_are_kept_but_never_someone_s_own,
    |engine| async move {
        let server = TestServer::start(engine).await;
        for path in ["/", "/verifier"] {
            let (first, page, csp) = page_in_brotli(&server.browser(), path).await;
            let before = page_cache_hits(&server).await;
            let (second, again, csp_again) = page_in_brotli(&server.browser(), path).await;
            assert!(
                page_cache_hits(&server).await > before,
                "{path}: served from memory"
            );
            assert_eq!(first, second, "{path}: the same bytes");
            assert_eq!((page, csp), (again, csp_again));
        }
        // Another language: its own page.
        let english = server.browser();
        english.set_cookie(app::i18n::LANG_COOKIE, "en");
        let (_, page, _) = page_in_brotli(&english, "/").await;
        assert!(page.contains("<html lang=\"en\""), "{engine:?}");
        let (_, page, _) = page_in_brotli(&server.browser(), "/").await;
        assert!(page.contains("<html lang=\"fr\""), "{engine:?}");
        // A case holding a session: the footer offers to end it, whatever
        // the anonymous readers were given.
        let (_, case) = server.signed_in_case("KEPT-1").await;
        let (_, page, _) = page_in_brotli(&case, "/").await;
        assert!(page.contains("action=\"/api/citizen/quit\""), "{engine:?}");
        let (_, page, _) = page_in_brotli(&server.browser(), "/").await;
        assert!(!page.contains("citizen/quit"), "{engine:?}");
    }
);

#[tokio::test]
async fn metrics_count_requests_by_route() {
    let server = TestServer::start(Engine::Sqlite).await;
    let browser = server.browser();
    browser.get("/healthz").await;
    browser.get("/").await;
    let text = browser.get("/metrics").await.text().await.unwrap();
    assert!(text.contains("relais_http_requests_total"), "{text}");
    assert!(text.contains("route=\"/healthz\""), "{text}");
    assert!(
        text.contains("relais_http_request_duration_seconds"),
        "{text}"
    );
    assert!(text.contains("relais_db_pool_connections"), "{text}");
    assert!(
        text.contains("relais_sms_outbox_messages{status=\"pending\"}"),
        "{text}"
    );
    // The audit lines and the writes that carried them.
    assert!(text.contains("relais_audit_lines_total"), "{text}");
    assert!(text.contains("relais_audit_line_writes_total"), "{text}");
}

engine_test!(language_switch_remembers_english, |engine| async move {
    let server = TestServer::start(engine).await;
    let browser = server.browser();
    let response = browser.get("/lang/en?next=/verifier").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/verifier");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("relais_lang=en"), "{cookie}");

    // The browser sends the cookie back.
    let (_, english) = browser.page("/").await;
    assert!(english.contains("<html lang=\"en\""));
    assert!(
        english.contains("Relais, the contact declaration service"),
        "{english}"
    );

    // Accept-Language is followed when no choice was made.
    let accept = server
        .browser()
        .request(Method::GET, "/")
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(accept.contains("<html lang=\"en\""));
});

#[tokio::test]
async fn language_switch_never_redirects_to_another_site() {
    let server = TestServer::start(Engine::Sqlite).await;
    let browser = server.browser();
    for next in ["//evil.example", "https://evil.example", "/\\evil.example"] {
        let response = browser
            .request(Method::GET, "/lang/fr")
            .query(&[("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["location"], "/", "next={next}");
    }
    let unknown = browser.get("/lang/xx").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

engine_test!(
    a_post_from_a_foreign_origin_is_refused,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let browser = server.browser();
        let foreign = browser
            .request(Method::POST, "/")
            .header("origin", "https://evil.example")
            .header("sec-fetch-site", "cross-site")
            .body("x=1")
            .send()
            .await
            .unwrap();
        assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
        let page = foreign.text().await.unwrap();
        assert!(page.contains("ne vient pas du site Relais"), "{page}");

        let no_origin = browser
            .request(Method::POST, "/")
            .body("x=1")
            .send()
            .await
            .unwrap();
        assert_eq!(no_origin.status(), StatusCode::FORBIDDEN);

        let same = browser
            .request(Method::POST, "/")
            .header("origin", server.config.public_origin())
            .body("x=1")
            .send()
            .await
            .unwrap();
        assert_ne!(
            same.status(),
            StatusCode::FORBIDDEN,
            "same-origin POST passes the guard"
        );
    }
);

#[tokio::test]
async fn unknown_route_gives_a_friendly_404_page() {
    let server = TestServer::start(Engine::Sqlite).await;
    let response = server.browser().get("/nope/%FF%00").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let page = response.text().await.unwrap();
    assert!(page.contains("Page introuvable"), "{page}");
    assert!(!page.contains("panicked"));
}

#[tokio::test]
async fn an_oversized_body_is_refused_clearly() {
    let server = TestServer::start(Engine::Sqlite).await;
    let big = "x".repeat(relais_server::http::router::MAX_BODY_BYTES + 10);
    let response = server
        .browser()
        .request(Method::POST, "/")
        .header("origin", server.config.public_origin())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let page = response.text().await.unwrap();
    assert!(page.contains("trop volumineuses"), "{page}");
}

#[tokio::test]
async fn the_link_checker_works_without_javascript() {
    let server = TestServer::start_with(
        Engine::Sqlite,
        &[("RELAIS_PUBLIC_URL", "https://relais.example.fr")],
    )
    .await;
    let link = format!("https://relais.example.fr/d/{}", "A".repeat(22));
    let browser = server.browser();
    let page = browser
        .request(Method::GET, "/verifier")
        .query(&[("link", link.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("c'est le lien pour déclarer vos contacts"),
        "{page}"
    );
    let page = browser
        .request(Method::GET, "/verifier")
        .query(&[("link", "https://relais-example.fr.evil.example/d/x")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("ne mène pas à Relais"), "{page}");
}

/// The checker's form posts the link: the token never sits in an address
/// (issue 21); the answer is the same page.
#[tokio::test]
async fn the_link_checker_form_posts_the_link() {
    let server = TestServer::start_with(
        Engine::Sqlite,
        &[("RELAIS_PUBLIC_URL", "https://relais.example.fr")],
    )
    .await;
    let browser = server.browser();
    let (_, home) = browser.page("/").await;
    assert!(
        home.contains(r#"<form method="post" action="/verifier""#),
        "{home}"
    );
    let link = format!("https://relais.example.fr/c/{}", "B".repeat(22));
    let response = browser.post("/verifier", &[("link", link.as_str())]).await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("le lien des consignes pour une personne contact"),
        "{page}"
    );
    assert!(page.contains(&link), "the field keeps the link: {page}");
    let response = browser
        .post(
            "/verifier",
            &[("link", "https://relais-example.fr.evil.example/d/x")],
        )
        .await;
    let page = response.text().await.unwrap();
    assert!(page.contains("ne mène pas à Relais"), "{page}");
    // A post from another site is refused, as every form's.
    let forged = browser
        .request(Method::POST, "/verifier")
        .header("origin", "https://evil.example")
        .form(&[("link", link.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
}

/// Building a router while another one serves pages never stalls them: the
/// route walk suppresses resource loading for the whole process (leptos
/// issue 4773), so it happens once, before the first router serves. This
/// suite starts many servers in one process; without that, a page of one
/// test sometimes never answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn building_a_router_never_stalls_the_pages_of_another() {
    use relais_server::http::{build_router, AppState};
    let server = TestServer::start(Engine::Sqlite).await;
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .unwrap();
    for round in 0..60 {
        let page = client.get(server.url("/d/aucun-lien-de-ce-nom")).send();
        let (db, config) = (server.db.clone(), server.config.clone());
        let build = tokio::task::spawn_blocking(move || {
            for _ in 0..3 {
                drop(build_router(AppState::new(
                    db.clone(),
                    config.clone(),
                    relais::RuleSets::embedded(),
                )));
            }
        });
        let (page, build) = tokio::join!(page, build);
        build.unwrap();
        let page = page.unwrap_or_else(|e| panic!("round {round}: the page stalled: {e}"));
        assert_eq!(
            page.status(),
            StatusCode::NOT_FOUND,
            "round {round}: the unknown-link page"
        );
        assert!(page.text().await.unwrap().contains("</html>"));
    }
}

engine_test!(
    a_form_field_that_is_not_utf8_is_refused_naming_it,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, case) = server.signed_in_case("UTF-1").await;
        // A contact whose first name is %FF%FE: refused, nothing stored,
        // the field named; the same form in UTF-8 is taken.
        let body = "first_name=%FF%FE&last_name=Durand&phone=06+39+98+03+01&relationship=work\
                    &day=15&month=11&year=2020&exposure_face_to_face=on&minor=non";
        let response = case.post_raw("/api/case/contact", body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{engine:?}");
        let page = response.text().await.unwrap();
        assert!(page.contains("« first_name »"), "{page}");
        assert_eq!(sql::count_live_contacts(&server.db, case_id).await, 0);
        let response = case
            .post_raw("/api/case/contact", &body.replace("%FF%FE", "Ana%C3%AFs"))
            .await;
        assert_eq!(response.status(), StatusCode::FOUND, "{engine:?}");
        assert_eq!(sql::count_live_contacts(&server.db, case_id).await, 1);
    }
);

#[tokio::test]
async fn metrics_with_a_token_answer_only_its_bearer_and_label_any_method_other() {
    const TOKEN: &str = "metrics-token-0123456789";
    let server = TestServer::start_with(Engine::Sqlite, &[("RELAIS_METRICS_TOKEN", TOKEN)]).await;
    let browser = server.browser();
    // A request with a made-up method: counted under OTHER, never its name.
    browser
        .request(Method::from_bytes(b"ZZTOPMETHOD").unwrap(), "/healthz")
        .send()
        .await
        .unwrap();
    assert_eq!(
        browser.get("/metrics").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let wrong = browser
        .request(Method::GET, "/metrics")
        .bearer_auth("metrics-token-0123456780")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let right = browser
        .request(Method::GET, "/metrics")
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::OK);
    let text = right.text().await.unwrap();
    assert!(text.contains("method=\"OTHER\""), "{text}");
    assert!(!text.contains("ZZTOPMETHOD"), "{text}");
}

#[tokio::test]
async fn a_client_sending_its_body_too_slowly_is_answered_408() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server =
        TestServer::start_with(Engine::Sqlite, &[("RELAIS_REQUEST_TIMEOUT_SECONDS", "1")]).await;
    let address = server
        .url("")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    // Headers announcing 100 bytes, then 10 of them, then nothing.
    let head = format!(
        "POST /api/case/identity HTTP/1.1\r\nHost: {address}\r\nOrigin: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ntoken=abcd",
        server.config.public_origin()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = std::time::Instant::now();
    let mut answer = vec![0u8; 64];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
        .await
        .expect("the server answers before the test gives up")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]).into_owned();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn a_client_sending_its_headers_too_slowly_is_disconnected() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = TestServer::start_with(
        Engine::Sqlite,
        &[("RELAIS_HEADER_READ_TIMEOUT_SECONDS", "1")],
    )
    .await;
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    // A request line and one header, then nothing: the headers never end.
    stream
        .write_all(format!("GET / HTTP/1.1\r\nHost: {}\r\n", server.addr).as_bytes())
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut answer),
    )
    .await
    .expect("the server closes the connection before the test gives up")
    .unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // Nothing was served: the page was never asked for in full.
    assert!(!String::from_utf8_lossy(&answer).contains(" 200 "));
    // A client that sends its headers at once is served as before.
    let page = server.browser().get("/").await;
    assert_eq!(page.status(), StatusCode::OK);
}
