//! Keys in, state and effects out: the claims, profiles, doctor and history, without a screen.

use super::*;

#[test]
fn a_valid_token_is_signed_at_once_with_the_profile_shape() {
    let app = app("ticketping", vec![demo_key()]);
    let payload = payload(&app);
    // display_name is optional and not set: left out (issue 21)
    assert_eq!(payload.keys().collect::<Vec<_>>(), ["external_id", "email", "exp"]);
    assert_eq!(payload["exp"], NOW + 300);
    assert!(app.warnings.is_empty(), "{:?}", app.warnings);
}

#[test]
fn editing_a_claim_re_signs_and_saves_the_session() {
    let mut app = app("ticketping", vec![demo_key()]);
    let before = token(&app);
    let effects = edit_row(&mut app, 1, "ada@example.com");
    assert_eq!(payload(&app)["email"], "ada@example.com");
    assert_ne!(token(&app), before);
    assert_eq!(effects, vec![Effect::SaveSession]);
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn escape_cancels_an_edit_and_keeps_the_value() {
    let mut app = app("ticketping", vec![demo_key()]);
    app.focus = Pane::Claims;
    app.claims_pane.row = 1;
    let mut actions = vec![Action::EditRow];
    actions.extend(typing("zzz"));
    actions.push(Action::Cancel);
    run(&mut app, actions);
    assert_eq!(payload(&app)["email"], "alice@example.com");
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn a_value_that_does_not_fit_its_type_is_shown_inline_and_blocks_signing() {
    let mut app = app("ticketping", vec![demo_key()]);
    edit_row(&mut app, 1, "nope");
    assert_eq!(
        app.claims_pane.errors[1].as_deref(),
        Some("'nope' is not an email address (name@example.com)")
    );
    assert!(
        matches!(&app.token, TokenState::Error(e) if e.contains("claim 'email'") && !e.contains(":=JSON")),
        "{:?}",
        app.token
    );
    run(&mut app, [Action::ResetRow]);
    assert_eq!(payload(&app)["email"], "alice@example.com");
    assert_eq!(app.claims_pane.errors[1], None);
}

#[test]
fn time_fields_take_expressions() {
    let mut app = app("ticketping", vec![demo_key()]);
    edit_row(&mut app, 3, "now+20m");
    assert_eq!(payload(&app)["exp"], NOW + 1200);
    let found: Vec<&str> = app.warnings.iter().map(|f| f.found.as_str()).collect();
    assert_eq!(
        found,
        vec![
            "exp is 20m after now; seed page: Ticketping: Authenticate your users (its field table and server samples) recommends 5m"
        ]
    );
}

#[test]
fn parameters_feed_claims_and_broken_rules_are_marked() {
    let mut app = app("tiledesk", vec![demo_key()]);
    let param_row = app.rows().iter().position(|r| matches!(r, Row::Param(_))).expect("a parameter row");
    app.focus = Pane::Claims;
    app.claims_pane.row = param_row;
    run(&mut app, [Action::EditRow]);
    assert_eq!(app.input.value(), "", "a placeholder is replaced, not appended to");
    run(&mut app, [Action::Cancel]);
    edit_row(&mut app, param_row, "65f0");
    assert_eq!(payload(&app)["aud"], "https://tiledesk.com/projects/65f0");
    assert_eq!(payload(&app)["_id"], "65f0_user-123456");
    assert!(app.warnings.is_empty(), "{:?}", app.warnings);
    // exp 11 minutes out breaks the seed page's 10-minute rule: marked, with its source, not an error
    let exp_row = app
        .rows()
        .iter()
        .position(
            |r| matches!(r, Row::Field(i) if app.profiles[app.profile].claims[*i].path.to_string() == "exp"),
        )
        .expect("exp row");
    edit_row(&mut app, exp_row, "now+11m");
    let codes: Vec<(&str, tokensmith::doctor::Severity, Option<&str>)> =
        app.warnings.iter().map(|f| (f.code, f.severity, f.source.as_ref().map(|s| s.id.as_str()))).collect();
    assert_eq!(
        codes,
        vec![("time.lifetime-max", tokensmith::doctor::Severity::Warning, Some("decode-route"))]
    );
    // sub other than userexternal breaks the server's rule: an error
    let sub_row = app
        .rows()
        .iter()
        .position(
            |r| matches!(r, Row::Field(i) if app.profiles[app.profile].claims[*i].path.to_string() == "sub"),
        )
        .expect("sub row");
    edit_row(&mut app, sub_row, "agent");
    assert!(
        app.warnings
            .iter()
            .any(|f| f.code == "claim.pattern" && f.severity == tokensmith::doctor::Severity::Error),
        "{:?}",
        app.warnings
    );
}

#[test]
fn free_claims_keep_their_json_type_where_the_profile_allows_them() {
    let mut app = app("orlo", vec![rsa_key()]);
    app.focus = Pane::Claims;
    let mut actions = vec![Action::AddClaim];
    actions.extend(typing("User ID"));
    actions.push(Action::Submit);
    actions.extend(typing("124"));
    actions.push(Action::Submit);
    run(&mut app, actions);
    assert_eq!(payload(&app)["User ID"], 124);
    assert_eq!(app.rows()[app.claims_pane.row], Row::Extra(0));
    run(&mut app, [Action::DeleteClaim]);
    assert!(!payload(&app).contains_key("User ID"));

    // Talla takes no extra claims, but the registered ones may be added, as with `sign`.
    let mut talla = self::app("talla", vec![demo_key()]);
    talla.focus = Pane::Claims;
    let mut actions = vec![Action::AddClaim];
    actions.extend(typing("nickname"));
    actions.push(Action::Submit);
    run(&mut talla, actions);
    assert_eq!(talla.mode, Mode::Normal);
    assert_eq!(talla.status.as_ref().map(|s| s.level), Some(Level::Error));
    let mut actions = vec![Action::AddClaim];
    actions.extend(typing("sub"));
    actions.push(Action::Submit);
    actions.extend(typing("user-42"));
    actions.push(Action::Submit);
    run(&mut talla, actions);
    assert_eq!(payload(&talla)["sub"], "user-42");
}

#[test]
fn switching_profiles_re_signs_and_remembers_values() {
    let mut app = app("ticketping", vec![demo_key()]);
    edit_row(&mut app, 1, "kept@example.com");
    app.set_status(Level::Error, "about Ticketping");
    app.focus = Pane::Profiles;
    app.token_pane.scroll = 7;
    let effects = run(&mut app, [Action::SelectNext]);
    assert_eq!(app.current().map(|p| p.id.as_str()), Some("tiledesk"));
    assert_eq!(app.status, None, "a message about the last profile is gone");
    assert_eq!(app.token_pane.scroll, 0, "the new token is shown from its start");
    assert_eq!(payload(&app)["iat"], NOW);
    assert!(effects.contains(&Effect::SaveSession));
    run(&mut app, [Action::SelectPrev]);
    assert_eq!(payload(&app)["email"], "kept@example.com");
}

#[test]
fn the_filter_narrows_and_selects() {
    let mut app = app("orlo", vec![demo_key()]);
    app.focus = Pane::Profiles;
    let mut actions = vec![Action::StartFilter];
    actions.extend(typing("tile"));
    run(&mut app, actions);
    assert_eq!(app.visible_profiles().len(), 1);
    assert_eq!(app.current().map(|p| p.id.as_str()), Some("tiledesk"));
    run(&mut app, [Action::Submit]);
    assert_eq!(app.filter, "tile");
    run(&mut app, [Action::StartFilter, Action::Cancel]);
    assert_eq!(app.filter, "");
}

#[test]
fn an_rsa_profile_without_an_rsa_key_says_what_to_do() {
    let app = app("orlo", vec![demo_key()]);
    assert!(
        matches!(&app.token, TokenState::NoKey(m) if m.contains("needs an RSA key pair")),
        "{:?}",
        app.token
    );
    let mut app = self::app("orlo", vec![demo_key(), rsa_key()]);
    assert_eq!(payload(&app).keys().collect::<Vec<_>>(), ["name", "isLoggedIn"]);
    app.focus = Pane::Keys;
    app.keys.selected = 0;
    run(&mut app, [Action::UseKey]);
    assert_eq!(app.status.as_ref().map(|s| s.level), Some(Level::Error));
}

#[test]
fn copying_asks_the_loop_for_the_clipboard() {
    let mut app = app("tiledesk", vec![demo_key()]);
    let effects = run(&mut app, [Action::CopyToken]);
    assert_eq!(effects.first(), Some(&Effect::Copy { text: token(&app), what: "the token".into() }));
    assert!(matches!(effects.get(1), Some(Effect::RecordHistory(_))), "and it goes into the history");
    let effects = run(&mut app, [Action::CopySnippet]);
    match effects.as_slice() {
        // and the store notes the key's use ("last used")
        [Effect::Copy { text, what }, Effect::RecordUse { name, .. }] if name == "demo" => {
            assert_eq!(what, "the html snippet");
            assert!(
                text.contains(&token(&app)) && text.contains(r#"signInWithCustomToken("JWT " + token)"#),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }
    run(&mut app, [Action::Copied { what: "the token".into(), how: "OSC 52 via the terminal".into() }]);
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("copied the token (OSC 52 via the terminal)")
    );
    let mut empty = self::app("tiledesk", Vec::new());
    assert!(run(&mut empty, [Action::CopyToken]).is_empty());
}

#[test]
fn first_run_offers_a_demo_key() {
    let mut app = app("ticketping", Vec::new());
    app.mode = Mode::Confirm(Confirm::CreateDemo);
    let effects = run(&mut app, [Action::Submit]);
    assert!(
        matches!(effects.as_slice(), [Effect::Generate { kind: GenKind::Hmac, name, .. }] if name == "demo")
    );
}

#[test]
fn quitting_asks_while_an_edit_is_open() {
    let mut app = app("ticketping", vec![demo_key()]);
    app.focus = Pane::Claims;
    run(&mut app, [Action::EditRow, Action::Quit]);
    assert_eq!(app.mode, Mode::Confirm(Confirm::QuitWhileEditing));
    assert!(!app.quit);
    assert_eq!(run(&mut app, [Action::Submit]), vec![Effect::SaveSession]);
    assert!(app.quit);
}

#[test]
fn the_countdown_turns_amber_then_red() {
    let theme = Theme { color: true };
    let span = crate::tui::view::token::countdown(NOW + 300, NOW, &theme);
    assert_eq!((span.content.as_ref(), span.style.fg), ("expires in 5m", Some(Color::Green)));
    let span = crate::tui::view::token::countdown(NOW + 30, NOW, &theme);
    assert_eq!((span.content.as_ref(), span.style.fg), ("expires in 30s", Some(Color::Yellow)));
    let span = crate::tui::view::token::countdown(NOW - 61, NOW, &theme);
    assert_eq!((span.content.as_ref(), span.style.fg), ("expired 1m 1s ago", Some(Color::Red)));
    let plain = crate::tui::view::token::countdown(NOW - 61, NOW, &Theme { color: false });
    assert_eq!(plain.style.fg, None, "NO_COLOR: no colours");
}

#[test]
fn the_doctor_judges_a_pasted_token_against_the_profile_and_stored_keys() {
    let mut app = app("tiledesk", vec![demo_key()]);
    let param_row = app.rows().iter().position(|r| matches!(r, Row::Param(_))).expect("a parameter row");
    edit_row(&mut app, param_row, "65f0c0ffee00000000000000");
    let good = token(&app);
    let mut actions = vec![Action::OpenDoctor];
    actions.push(Action::Paste(format!("\"Bearer {good}\"\n")));
    actions.push(Action::Submit);
    run(&mut app, actions);
    let report = app.doctor.report.clone().expect("report");
    assert_eq!(
        report.codes(),
        // the copied line break is dropped at the paste, so no whitespace note; Tiledesk keeps
        // the token as the widget's session, so the doctor says when exp signs the visitor out
        ["input.quotes", "input.bearer-prefix", "signature.valid", "time.session"]
    );
    assert_eq!(report.verified_with.as_deref(), Some("stored key 'demo'"));
    // picking another profile (Orlo: RS256 only) re-judges the same token
    app.focus = Pane::Profiles;
    // (walk up to it: how many profiles sit between depends on which are built in)
    for _ in 0..app.profiles.len() {
        if app.current().is_some_and(|p| p.id == "orlo") {
            break;
        }
        run(&mut app, [Action::SelectPrev]);
    }
    assert_eq!(app.current().map(|p| p.id.as_str()), Some("orlo"));
    let report = app.doctor.report.clone().expect("report");
    assert!(!report.passes(), "{:?}", report.codes());
    run(&mut app, [Action::CloseDoctor]);
    assert!(app.doctor.report.is_none());
}

#[test]
fn pastes_keep_line_breaks_where_they_belong_and_go_in_whole() {
    use crate::tui::update::paste_into_input;
    let mut input = tui_input::Input::new("ab".into()).with_cursor(1);
    paste_into_input(&mut input, "X\r\nY\rZ\n", true);
    assert_eq!((input.value(), input.cursor()), ("aX\nY\nZ\nb", 7));
    let mut secret = tui_input::Input::default();
    paste_into_input(&mut secret, "acme-secret\r", false);
    assert_eq!(secret.value(), "acme-secret", "the copied line break is not part of a secret");
    let mut one_line = tui_input::Input::new("€".into());
    paste_into_input(&mut one_line, "a\rb\n\n", false);
    assert_eq!((one_line.value(), one_line.cursor()), ("€a b", 4));
    // A megabyte goes in whole (the old per-character insert was quadratic: minutes).
    let big = "x".repeat(1 << 20);
    let mut app = app("tiledesk", vec![demo_key()]);
    run(&mut app, [Action::OpenDoctor, Action::Paste(big.clone())]);
    assert_eq!(app.input.value().len(), big.len());
    run(&mut app, [Action::Submit]);
    assert_eq!(app.doctor.report.as_ref().map(|r| r.codes()), Some(vec!["not-jwt.segments"]));
}

#[test]
fn a_first_run_opens_on_a_profile_it_can_sign() {
    // No keys yet: the demo key (HMAC) will fit the first HMAC profile, not RS256 Orlo.
    let mut empty = app("orlo", Vec::new());
    empty.open_on_signable_profile();
    assert_eq!(empty.current().map(|p| p.key_kind), Some(tokensmith::token::Family::Hmac));
    run(&mut empty, [Action::StoreLoaded(Ok(vec![demo_key()]))]);
    assert!(
        matches!(empty.token, TokenState::Signed(_)),
        "one keypress after the demo key: {:?}",
        empty.token
    );
    // A stored RSA key: Orlo stays; from an HMAC profile, the RSA one is chosen.
    let mut rsa = app("orlo", vec![rsa_key()]);
    rsa.open_on_signable_profile();
    assert_eq!(rsa.current().map(|p| p.id.as_str()), Some("orlo"));
    let mut moved = app("talla", vec![rsa_key()]);
    moved.open_on_signable_profile();
    assert_eq!(moved.current().map(|p| p.key_kind), Some(tokensmith::token::Family::Rsa));
}

#[test]
fn help_keys_never_run_into_their_text() {
    let theme = crate::tui::view::Theme { color: false };
    for line in crate::tui::view::overlay::help_lines(&crate::tui::bindings::Keymap::default(), &theme) {
        let [key, text] = line.spans.as_slice() else { continue };
        assert!(key.content.ends_with("  "), "{:?} runs into {:?}", key.content, text.content);
    }
}

#[test]
fn the_snippet_is_derived_when_its_inputs_change_not_on_a_tick() {
    let mut app = app("tiledesk", vec![demo_key()]);
    assert_eq!(app.snippet_view.text, None, "nothing is rendered before it is shown");
    run(&mut app, [Action::ShowSnippet]);
    let html = app.snippet_view.text.clone().expect("a snippet");
    assert!(html.contains("signInWithCustomToken"), "{html}");
    run(&mut app, [Action::Tick(NOW + 30)]);
    assert_eq!(app.snippet_view.text.as_deref(), Some(html.as_str()), "a tick changes nothing");
    run(&mut app, [Action::NextFlavor]);
    let v4 = app.snippet_view.text.clone().expect("a snippet");
    assert!(v4.contains("autoStart"), "the next flavour is rendered: {v4}");
    let param_row = app.rows().iter().position(|r| matches!(r, Row::Param(_))).expect("a parameter row");
    edit_row(&mut app, param_row, "65f0");
    assert_eq!(app.snippet_view.text, None, "not kept while hidden");
    run(&mut app, [Action::ShowSnippet]);
    assert!(
        app.snippet_view.text.as_deref().is_some_and(|s| s.contains("65f0")),
        "shown again, from the new inputs"
    );
    // The pretty JSON is made once, with the token.
    let TokenState::Signed(signed) = &app.token else { panic!("a token") };
    assert!(signed.payload_text.contains("\"aud\": \"https://tiledesk.com/projects/65f0\""));
}

#[test]
fn server_flavours_need_no_key() {
    let mut app = app("ticketping", Vec::new());
    run(&mut app, [Action::ShowSnippet]);
    assert_eq!(app.mode, Mode::Snippet, "the overlay opens without a token");
    assert_eq!(app.snippet_view.text, None, "the page flavour needs a token");
    while app.flavor().as_deref() != Some("node") {
        run(&mut app, [Action::NextFlavor]);
    }
    let code = app.snippet_view.text.clone().expect("server code without a key");
    assert!(
        code.contains("function issueToken(user)") && code.contains("/api/ticketping/chat-jwt"),
        "{code}"
    );
}

#[test]
fn the_life_line_shows_now_exp_and_the_vendors_maximum() {
    use crate::tui::view::token::life_line;
    let theme = crate::tui::view::Theme { color: true };
    let tiledesk = ProfileSet::load(None).get("tiledesk").expect("tiledesk").clone();
    let payload = |iat: i64, exp: i64| {
        serde_json::json!({ "iat": iat, "exp": exp }).as_object().cloned().unwrap_or_default()
    };
    let text = |line: &ratatui::text::Line| line.spans.iter().map(|s| s.content.as_ref()).collect::<String>();
    let line = life_line(&payload(NOW, NOW + 300), &tiledesk.time, NOW + 60, 100, &theme).expect("a line");
    let shown = text(&line);
    assert!(shown.starts_with("iat ") && shown.ends_with("  1m of 5m (┤ exp · │ max 10m)"), "{shown}");
    let (now, exp, max) = (shown.find('●'), shown.find('┤'), shown.find('│'));
    assert!(now < exp && exp < max, "now, then exp, then the maximum: {shown}");
    // Past the maximum: the part beyond it is red.
    let line = life_line(&payload(NOW, NOW + 900), &tiledesk.time, NOW, 100, &theme).expect("a line");
    assert!(line.spans.iter().any(|s| s.style.fg == Some(Color::Red)), "{}", text(&line));
    // No iat or nbf, or no room: no line rather than a wrong one.
    let exp_only = serde_json::json!({ "exp": NOW }).as_object().cloned().unwrap_or_default();
    assert!(life_line(&exp_only, &tiledesk.time, NOW, 100, &theme).is_none());
    assert!(life_line(&payload(NOW, NOW + 300), &tiledesk.time, NOW, 20, &theme).is_none());
}

/// Issue 22, item 1, in the workbench: `=` in the doctor compares the pasted token with the
/// bench's, through the same `tokensmith::diff` the CLI's `diff` prints.
#[test]
fn equals_in_the_doctor_compares_the_pasted_token_with_the_benchs() {
    use base64::Engine as _;
    let mut app = app("tiledesk", vec![demo_key()]);
    run(&mut app, [Action::CompareTokens]);
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains("paste a token first")), "{:?}", app.status);
    // The bench's claims with a role added and the name changed to a number, signed by nobody.
    let mut claims = payload(&app);
    claims.insert("role".into(), serde_json::json!("admin"));
    claims.insert("name".into(), serde_json::json!(42));
    let b64 = |v: serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let pasted =
        format!("{}.{}.c2ln", b64(serde_json::json!({"alg": "HS256", "typ": "JWT"})), b64(claims.into()));
    run(&mut app, [Action::OpenDoctor, Action::Paste(pasted), Action::Submit, Action::CompareTokens]);
    let (what, d) = app.doctor.diff.clone().expect("a comparison");
    assert_eq!(what, "the bench's token");
    let paths: Vec<(&str, &str)> = d
        .payload
        .iter()
        .map(|c| {
            let kind = match c {
                tokensmith::diff::Change::ChangedType { .. } => "type",
                tokensmith::diff::Change::Added { .. } => "added",
                _ => "other",
            };
            (c.path(), kind)
        })
        .collect();
    assert_eq!(paths, [("name", "type"), ("role", "added")]);
    let rules = d.rules.expect("under the profile");
    assert!(rules.only_second.iter().any(|f| f.code == "claim.forbidden-value"), "{rules:?}");
    let text = screen(&app, 100, 30).backend().to_string();
    assert!(text.contains("Against the bench's token"), "{text}");
    // = again hides it.
    run(&mut app, [Action::CompareTokens]);
    assert!(app.doctor.diff.is_none());
}

/// Issue 22, item 2, in the workbench: `b` in the doctor puts the pasted token on the bench
/// under the profile it fits best (said in the status line), its times moved to now with the
/// lifetime kept, and the bench signs it at once with the stored key.
#[test]
fn b_in_the_doctor_puts_the_pasted_token_on_the_bench_to_re_sign() {
    use base64::Engine as _;
    let mut app = app("tiledesk", vec![demo_key()]);
    let b64 = |v: serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let claims = serde_json::json!({"external_id": "u-9", "email": "ada@example.com", "plan": "123", "iat": NOW - 7200, "exp": NOW - 6900});
    let pasted = format!("{}.{}.c2ln", b64(serde_json::json!({"alg": "HS256", "typ": "JWT"})), b64(claims));
    run(&mut app, [Action::OpenDoctor, Action::Paste(pasted), Action::Submit, Action::LoadToBench]);
    assert!(app.doctor.input.is_none(), "the doctor is closed");
    let status = app.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(status.contains("fits best"), "{status}");
    let profile = app.current().expect("a profile").clone();
    assert!(status.contains(&profile.name), "{status}");
    let signed = payload(&app);
    assert_eq!(signed["external_id"], "u-9");
    assert_eq!(signed["plan"], "123", "a string stays a string");
    assert_eq!(signed["iat"], NOW);
    assert_eq!(signed["exp"], NOW + 300, "the five minutes the token had");
    let broken: Vec<_> =
        app.warnings.iter().filter(|f| f.severity == tokensmith::doctor::Severity::Error).collect();
    assert!(broken.is_empty(), "{} breaks: {broken:?}", profile.id);
}

/// Issue 22, item 4, in the workbench: `x` in the doctor says what the claims must be, in the
/// one-line form of the CLI's `--iss`/`--aud`/`--sub`/`--require`; each mismatch is an error
/// finding (`claim.unexpected`) through the same `Report::expecting` the CLI's doctor uses.
#[test]
fn x_in_the_doctor_checks_the_claims_against_what_is_expected() {
    let mut app = app("ticketping", vec![demo_key()]);
    run(&mut app, [Action::SetExpectations]);
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains("paste a token first")), "{:?}", app.status);
    let pasted = token(&app);
    run(&mut app, [Action::OpenDoctor, Action::Paste(pasted), Action::Submit]);
    let passes = |app: &App| app.doctor.report.as_ref().is_some_and(tokensmith::doctor::Report::passes);
    assert!(passes(&app), "{:?}", app.doctor.report);
    // A typo in the name is refused and the prompt stays open with what was typed.
    let mut actions = vec![Action::SetExpectations];
    actions.extend(typing("issuer=x"));
    actions.push(Action::Submit);
    run(&mut app, actions);
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains("'issuer=x' is not an expectation")));
    assert_eq!((app.mode.clone(), app.input.value()), (Mode::Prompt(Prompt::Expect), "issuer=x"));
    run(&mut app, [Action::Cancel]);
    let mut actions = vec![Action::SetExpectations];
    actions.extend(typing("sub=u42 require=email,display_name"));
    actions.push(Action::Submit);
    run(&mut app, actions);
    assert!(!passes(&app));
    let unexpected: Vec<String> = app
        .doctor
        .report
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.code == "claim.unexpected")
        .map(|f| f.found.clone())
        .collect();
    assert_eq!(unexpected, ["sub is missing, expected \"u42\"", "display_name is missing, expected present"]);
    let text = screen(&app, 120, 40).backend().to_string();
    assert!(text.contains("expecting sub=u42 require=email,display_name"), "{text}");
    // x again starts from what is expected now; emptied, nothing is.
    run(&mut app, [Action::SetExpectations]);
    assert_eq!(app.input.value(), "sub=u42 require=email,display_name");
    run(&mut app, [Action::Edit(InputRequest::DeleteLine), Action::Submit]);
    assert!(passes(&app));
}

/// Issue 22, item 6, in the workbench: a header field added with `H` whose value is `null`
/// leaves the field out, as `--header typ:=null` does: the same signing pipeline.
#[test]
fn a_header_field_set_to_null_on_the_bench_leaves_it_out() {
    let mut app = app("ticketping", vec![demo_key()]);
    let header = |app: &App| match &app.token {
        TokenState::Signed(s) => s.header.clone(),
        other => panic!("no token: {other:?}"),
    };
    assert_eq!(header(&app)["typ"], "JWT");
    app.focus = Pane::Claims;
    let mut actions = vec![Action::AddHeader];
    actions.extend(typing("typ"));
    actions.push(Action::Submit);
    actions.extend(typing("null"));
    actions.push(Action::Submit);
    run(&mut app, actions);
    assert_eq!(header(&app).keys().collect::<Vec<_>>(), ["alg"], "{:?}", app.status);
}
