/// Issue 19 (9): this pattern took over 20 s on a 33-character claim (backtracking);
/// the memo makes it parts x characters, and the step budget bounds what placeholders
/// keep from the memo.
#[test]
fn hostile_patterns_end_at_once() {
    let a33 = "a".repeat(33);
    assert!(!match_pattern("*a*a*a*a*a*a*a*a*a*a*b", &a33, &mut Vec::new()));
    assert!(match_pattern("*a*a*a*a*a*a*a*a*a*a*b", &format!("{a33}b"), &mut Vec::new()));
    let long = "a".repeat(MAX_PATTERN_TEXT);
    assert!(!match_pattern("{a}{b}{c}{d}{e}{f}{g}*a*a*a*a*a*b", &long, &mut Vec::new()));
    let mut bound = Vec::new();
    assert!(match_pattern("https://x/projects/{id}/*", "https://x/projects/p1/users", &mut bound));
    assert_eq!(bound, vec![("id".to_string(), "p1".to_string())]);
}

use super::*;

fn field(path: &str, ty: ClaimType, required: bool, default: Option<&str>) -> ClaimField {
    ClaimField {
        path: path.parse().expect("path"),
        ty,
        required,
        description: String::new(),
        default: default.map(|d| ValueExpr::parse_or_literal(d).expect("expr")),
        source: None,
        user: None,
        pattern: None,
        charset: None,
        max_length: None,
        forbidden: Vec::new(),
    }
}

fn build(fields: &[ClaimField], allow_extra: bool, args: &[&str]) -> Result<String, ClaimError> {
    let assignments: Vec<ClaimAssignment> = args.iter().map(|a| a.parse()).collect::<Result<_, _>>()?;
    let mut uuid = || "00000000-0000-4000-8000-000000000000".to_string();
    let params = [("project_id".to_string(), "p1".to_string())];
    let mut ctx = BuildContext { now: 1_700_000_000, uuid: &mut uuid, params: &params };
    let schema = ClaimSchema { profile: "test", fields, allow_extra };
    build_payload(&schema, &assignments, &mut ctx).map(|m| Value::Object(m).to_string())
}

#[test]
fn dotted_paths_nest_and_defaults_evaluate_in_order() {
    let fields = [
        field("exp", ClaimType::UnixTime, true, Some("now+5m")),
        field("account.first_name", ClaimType::String, true, Some("john")),
        field("account.email", ClaimType::Email, true, Some("john@example.com")),
        field("account.uid", ClaimType::String, true, Some("md5(account.email)")),
        field("jti", ClaimType::String, false, Some("uuid")),
        field("nickname", ClaimType::String, false, None),
    ];
    assert_eq!(
        build(&fields, false, &[]),
        Ok(format!(
            r#"{{"exp":1700000300,"account":{{"first_name":"john","email":"john@example.com","uid":"{}"}},"jti":"00000000-0000-4000-8000-000000000000"}}"#,
            hex::encode(md5::Md5::digest(b"john@example.com"))
        ))
    );
    // md5 of "ada@example.com" follows the given email
    let out = build(&fields, false, &["account.email=ada@example.com"]).expect("builds");
    assert!(out.contains(&hex::encode(md5::Md5::digest(b"ada@example.com"))));
}

#[test]
fn text_is_converted_to_the_declared_type_and_raw_json_kept() {
    let fields = [
        field("isLoggedIn", ClaimType::Boolean, true, Some("true")),
        field("age", ClaimType::Integer, false, None),
        field("iat", ClaimType::UnixTime, false, None),
    ];
    assert_eq!(
        build(
            &fields,
            true,
            &["isLoggedIn=false", "age=42", "iat=now-30s", "User ID:=124", "Telephone=0123"]
        ),
        Ok(r#"{"isLoggedIn":false,"age":42,"iat":1699999970,"User ID":124,"Telephone":"0123"}"#.to_string())
    );
    assert_eq!(build(&fields, true, &["isLoggedIn:=\"true\""]), Ok(r#"{"isLoggedIn":"true"}"#.to_string()));
    assert_eq!(
        build(&fields, false, &["iat=2023-11-14T22:13:20Z"]),
        Ok(r#"{"isLoggedIn":true,"iat":1700000000}"#.to_string())
    );
}

#[test]
fn bad_input_names_the_claim_and_the_fix() {
    let fields = [field("email", ClaimType::Email, true, None), field("n", ClaimType::Integer, false, None)];
    assert!(matches!(build(&fields, false, &["email"]), Err(ClaimError::NoEquals { .. })));
    assert!(
        matches!(build(&fields, false, &[]), Err(ClaimError::MissingRequired { path, .. }) if path == "email")
    );
    let err = build(&fields, false, &["email=nope"]).err().map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "claim 'email' is email: 'nope' is not an email address (name@example.com) (use email:=JSON to set any raw value)"
        )
    );
    assert!(matches!(build(&fields, false, &["email=a@b.co", "n=x"]), Err(ClaimError::BadValue { .. })));
    assert!(matches!(
        build(&fields, false, &["email=a@b.co", "zzz=1"]),
        Err(ClaimError::UnknownClaim { .. })
    ));
    assert!(matches!(build(&fields, false, &["email=a@b.co", "n:={oops"]), Err(ClaimError::BadJson { .. })));
    assert!(matches!(
        build(&fields, true, &["email=a@b.co", "a=1", "a.b=2"]),
        Err(ClaimError::Collision { .. })
    ));
    assert!(matches!(
        build(&fields, true, &["email=a@b.co", "a.b=2", "a=1"]),
        Err(ClaimError::Collision { .. })
    ));
    assert!(matches!(
        build(&fields, true, &["email=a@b.co", "email=c@d.co"]),
        Err(ClaimError::Duplicate { .. })
    ));
    assert!(matches!(build(&fields, true, &["a..b=1"]), Err(ClaimError::BadPath { .. })));
    // registered claims are always allowed, and typed
    assert_eq!(
        build(&fields, false, &["email=a@b.co", "exp=now+1m"]),
        Ok(r#"{"email":"a@b.co","exp":1700000060}"#.to_string())
    );
}

#[test]
fn templates_read_parameters_first_then_claims() {
    let fields = [
        field("_id", ClaimType::String, true, Some("{project_id}_{external_id}")),
        field("aud", ClaimType::String, true, Some("https://tiledesk.com/projects/{project_id}")),
        field("external_id", ClaimType::String, true, Some("u-1")),
    ];
    assert_eq!(
        build(&fields, false, &["external_id=42"]),
        Ok(r#"{"_id":"p1_42","aud":"https://tiledesk.com/projects/p1","external_id":"42"}"#.to_string())
    );
    let orphan = [field("x", ClaimType::String, true, Some("{nope}"))];
    assert!(
        matches!(build(&orphan, false, &[]), Err(ClaimError::TemplateSource { missing, .. }) if missing == "nope")
    );
    assert_eq!(ValueExpr::parse_or_literal("a{b}c").map(|e| e.to_string()), Ok("a{b}c".to_string()));
    // braces that are not a reference stay literal
    assert!(matches!(ValueExpr::parse_or_literal("{ not a ref }"), Ok(ValueExpr::Literal(_))));
}

#[test]
fn patterns_bind_parameters_across_claims() {
    let mut bound = Vec::new();
    assert!(match_pattern(
        "https://tiledesk.com/projects/{project_id}",
        "https://tiledesk.com/projects/p_1",
        &mut bound
    ));
    assert_eq!(bound, vec![("project_id".to_string(), "p_1".to_string())]);
    assert!(match_pattern("{project_id}_*", "p_1_user", &mut bound));
    assert!(!match_pattern("{project_id}_*", "other_user", &mut bound));
    let mut fresh = Vec::new();
    assert!(match_pattern("{project_id}_*", "abc_def_ghi", &mut fresh));
    assert_eq!(fresh[0].1, "abc_def");
    assert!(!match_pattern("userexternal", "user", &mut fresh));
    assert!(match_pattern("userexternal", "userexternal", &mut fresh));
    assert!(!match_pattern("*", &"x".repeat(MAX_PATTERN_TEXT + 1), &mut fresh));
    // a parameter stays within one path segment; `*` may be empty
    let aud = "http*://*/projects/{project_id}*";
    for (text, id) in [
        ("https://tiledesk.com/projects/65f0", "65f0"),
        ("https://tiledesk.com/projects/65f0/", "65f0"),
        ("https://api.tiledesk.example/projects/65f0", "65f0"),
    ] {
        let mut bound = Vec::new();
        assert!(match_pattern(aud, text, &mut bound), "{text}");
        assert_eq!(bound, vec![("project_id".to_string(), id.to_string())], "{text}");
    }
    assert!(!match_pattern(aud, "https://tiledesk.com/bots/65f0", &mut Vec::new()));
    assert_eq!(Charset::Alphanumeric.outside("user-123_ab"), Vec::<char>::new());
    assert_eq!(Charset::Alphanumeric.outside("a b@c.d é"), vec![' ', '@', '.', 'é']);
}

#[test]
fn type_checks_describe_what_was_found() {
    assert_eq!(
        ClaimType::Boolean.check(&Value::String("true".into())),
        Err("should be a boolean (true/false, not a string), found the string \"true\"".into())
    );
    assert!(ClaimType::UnixTime.check(&Value::from(1.5)).is_err());
    assert!(ClaimType::Email.check(&Value::from("a@b.co")).is_ok());
    assert!(!is_email("a@b"));
    assert!(!is_email("a b@c.de"));
}

#[test]
fn expressions_parse_and_print_back() {
    for text in ["now", "now+5m", "now-30s", "uuid", "md5(account.email)", "sha256(email)"] {
        let expr = ValueExpr::parse_or_literal(text).expect("parses");
        assert_eq!(expr.to_string(), text);
        assert!(!matches!(expr, ValueExpr::Literal(_)), "{text}");
    }
    assert_eq!(ValueExpr::parse_or_literal("nowhere"), Ok(ValueExpr::Literal(Value::from("nowhere"))));
    assert!(ValueExpr::parse_or_literal("now+soon").is_err());
}
