//! Issue 20: a person's language, said or chosen, carried into their texts
//! and pages; a tracer's change reaching only the texts not sent yet; the
//! browser's language deciding only when nothing is stored; the staff
//! console in French or English.

use crate::common::browser::{location, Browser};
use crate::common::{engine_test, sql, TestServer};
use app::messages::sms_text;
use relais::outbox::MessageKind;
use relais::roles::StaffRole;
use relais::Lang;
use relais_server::sms::provider::Provider;
use relais_server::sms::SmsWorker;

/// `path` opened by `browser` whose language setting asks for `accept`.
async fn get_in(browser: &Browser, path: &str, accept: &str) -> reqwest::Response {
    browser
        .request(reqwest::Method::GET, path)
        .header("accept-language", accept)
        .send()
        .await
        .unwrap()
}

/// The texts the log provider wrote: (to, text), in order.
fn logged(file: &std::path::Path) -> Vec<(String, String)> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            let rest = line.split_once("to ")?.1;
            let (to, text) = rest.split_once(": ")?;
            Some((to.to_owned(), text.to_owned()))
        })
        .collect()
}

/// The kind of `text` when it is exactly one of `lang`'s texts (its link,
/// if any, taken from the text itself).
fn kind_in(text: &str, lang: Lang) -> Option<MessageKind> {
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/c/"))
        .unwrap_or("");
    MessageKind::ALL
        .into_iter()
        .find(|kind| sms_text(*kind, lang, link) == text)
}

engine_test!(
    a_turkish_contact_gets_turkish_texts_and_page_and_a_tracer_s_change_applies_to_the_next_text_only,
    |engine| async move {
        // February 2021's rules: a quarantine, so texts are planned after
        // the notification.
        let server =
            TestServer::start_with_rules(engine, &[], crate::common::quarantine_rules_in_force())
                .await;
        let (case_id, case) = server.signed_in_case("LANG-1").await;
        let to = case
            .add_contact(&[("phone", "06 39 98 01 10"), ("contact_lang", "tr")])
            .await;
        assert!(to.starts_with("/dossier/contacts#item-"), "{to}");
        assert_eq!(case.submit().await, "/dossier/envoyee");
        // Sampled yesterday, the contact met today: the quarantine is ahead.
        let today = server.db.today_paris();
        sql::set_sample_and_onset(
            &server.db,
            case_id,
            &today.to_string(),
            &(today - time::Duration::days(1)).to_string(),
        )
        .await;
        sql::set_last_contact_of_case(&server.db, case_id, &today.to_string()).await;
        let contact = sql::contact_ids(&server.db, case_id).await[0];
        assert_eq!(
            sql::contact_lang(&server.db, contact).await.as_deref(),
            Some("tr")
        );
        let tracer = server.staff("t-lang-1", StaffRole::Tracer).await;
        let version = sql::case_version(&server.db, case_id).await;
        let to = tracer.validate(case_id, version).await;
        assert!(to.ends_with("ok=validated&n=1"), "{to}");

        // The notification goes in Turkish, as written (UCS-2: "ı", "ş").
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sms.log");
        let worker = SmsWorker::new(
            server.db.clone(),
            Provider::log(file.clone()),
            &server.base,
            3,
        );
        assert_eq!(worker.pass().await.unwrap().sent, 1, "{engine:?}");
        let texts = logged(&file);
        assert_eq!(texts.len(), 1, "{texts:?}");
        assert_eq!(texts[0].0, "+33639980110");
        assert_eq!(
            kind_in(&texts[0].1, Lang::Tr),
            Some(MessageKind::ContactNotification),
            "{}",
            texts[0].1
        );
        assert_eq!(
            relais::sms::encoding::encoding(&texts[0].1),
            relais::sms::encoding::Encoding::Ucs2
        );

        // Their page opens in Turkish, though the browser asks for French.
        let link = texts[0].1.split_whitespace().find(|w| w.contains("/c/")).unwrap();
        let path = link.strip_prefix(&server.base).unwrap().to_owned();
        let phone = server.browser();
        let response = get_in(&phone, &path, "fr-FR,fr;q=0.9").await;
        assert_eq!(location(&response), "/contact");
        let cookies: Vec<&str> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        assert!(
            cookies.iter().any(|c| c.starts_with("relais_lang=tr;")),
            "{cookies:?}"
        );
        let (_, page) = phone.page("/contact").await;
        assert!(page.contains("<html lang=\"tr\" dir=\"ltr\""), "{engine:?}");
        assert!(page.contains(app::tr!(Lang::Tr, contact.at_risk_title)));
        assert!(page.contains(app::tr!(Lang::Tr, layout.skip_link)));

        // The tracer corrects the language to Romanian.
        let version = sql::case_version(&server.db, case_id).await;
        let (case_s, version_s, contact_s) = (
            case_id.to_string(),
            version.to_string(),
            contact.to_string(),
        );
        let (day, month, year) = (
            today.day().to_string(),
            relais::dates::month_number(today).to_string(),
            today.year().to_string(),
        );
        let form = crate::common::citizen::contact_form(&[
            ("case_id", case_s.as_str()),
            ("version", version_s.as_str()),
            ("contact", contact_s.as_str()),
            ("day", day.as_str()),
            ("month", month.as_str()),
            ("year", year.as_str()),
            ("contact_lang", "ro"),
        ]);
        let to = tracer.save_contact(&form).await;
        assert_eq!(
            to,
            format!("/equipe/dossiers/{case_id}?ok=saved#contact-{contact}"),
            "{engine:?}"
        );
        assert_eq!(
            sql::contact_lang(&server.db, contact).await.as_deref(),
            Some("ro")
        );
        // What went stays Turkish; what is still to send is Romanian.
        let queued = sql::contact_texts(&server.db, contact).await;
        assert_eq!(
            queued[0],
            (
                "contact_notification".to_owned(),
                "tr".to_owned(),
                "sent".to_owned()
            )
        );
        let pending: Vec<_> = queued.iter().filter(|(_, _, s)| s == "pending").collect();
        assert!(!pending.is_empty(), "{queued:?}");
        assert!(pending.iter().all(|(_, lang, _)| lang == "ro"), "{queued:?}");
        sql::make_pending_due(&server.db).await;
        let pass = worker.pass().await.unwrap();
        assert!(pass.sent >= 1, "{pass:?}");
        // The contact's next texts are Romanian (the case's own, to
        // another phone, stay in the case's French).
        let texts = logged(&file);
        let theirs: Vec<_> = texts[1..]
            .iter()
            .filter(|(to, _)| to == "+33639980110")
            .collect();
        assert!(!theirs.is_empty(), "{texts:?}");
        for (_, text) in theirs {
            assert!(kind_in(text, Lang::Ro).is_some(), "not Romanian: {text}");
        }
        for (_, text) in texts[1..].iter().filter(|(to, _)| to != "+33639980110") {
            assert!(kind_in(text, Lang::Fr).is_some(), "{text}");
        }
        // The tracer's page says what the texts cost, by language.
        let (_, case_page) = tracer.page(&format!("/equipe/dossiers/{case_id}")).await;
        assert!(case_page.contains("id=\"sms-cost-table\""));
        assert!(case_page.contains("Türkçe") && case_page.contains("Română"));
        assert!(case_page.contains("UCS-2"));
    }
);

engine_test!(
    a_case_s_chosen_language_is_stored_and_opens_their_link_and_the_console_stays_french,
    |engine| async move {
        let server = TestServer::start(engine).await;
        let (case_id, token) = server.new_case("LANG-2").await;
        // Nothing stored: the browser's language decides.
        let visitor = server.browser();
        let response = get_in(&visitor, &format!("/d/{token}"), "zh-CN,zh;q=0.9,fr;q=0.5").await;
        let body = response.text().await.unwrap();
        assert!(
            body.contains("<html lang=\"zh-Hans\" dir=\"ltr\""),
            "{engine:?}"
        );
        // Each language is offered, named in itself.
        for lang in Lang::ALL {
            assert!(body.contains(lang.native_name()), "{lang}");
        }

        // The intake's language says which language the SMS go in, not
        // which the pages open in: the browser's still decides.
        sql::set_case_intake_lang(&server.db, case_id, "en").await;
        let response = get_in(&server.browser(), &format!("/d/{token}"), "fr-FR,fr;q=0.9").await;
        let body = response.text().await.unwrap();
        assert!(body.contains("<html lang=\"fr\" dir=\"ltr\""), "{engine:?}");

        // The case, signed in, chooses Arabic: it is stored on the case.
        let case = server.browser();
        case.sign_in(&token).await;
        let response = case.get("/lang/ar?next=/dossier").await;
        assert_eq!(location(&response), "/dossier");
        assert_eq!(
            sql::case_lang(&server.db, case_id).await,
            "ar",
            "{engine:?}"
        );
        let (_, page) = case.page("/dossier").await;
        assert!(page.contains("<html lang=\"ar\" dir=\"rtl\""));
        assert!(page.contains(app::tr!(Lang::Ar, dossier.title)));

        // On another phone, with no cookie, the link opens in Arabic
        // though that browser asks for French.
        let other = server.browser();
        let response = get_in(&other, &format!("/d/{token}"), "fr-FR").await;
        let body = response.text().await.unwrap();
        assert!(body.contains("<html lang=\"ar\" dir=\"rtl\""));
        // And a cookie chosen there wins over what is stored.
        other.set_cookie("relais_lang", "es");
        let (_, body) = other.page(&format!("/d/{token}")).await;
        assert!(body.contains("<html lang=\"es\" dir=\"ltr\""));

        // The staff console speaks French or English only.
        let tracer = server.staff("t-lang-2", StaffRole::Tracer).await;
        tracer.set_cookie("relais_lang", "ar");
        let (_, desk) = tracer.page("/equipe").await;
        assert!(desk.contains("<html lang=\"fr\" dir=\"ltr\""), "{engine:?}");
        assert!(
            !desk.contains("العربية"),
            "the console offers fr and en only"
        );
    }
);
