//! Known-answer vectors from the RFCs: our signatures must equal theirs byte for byte, and
//! their tokens must verify with our verifier.

use tokensmith::token::{self, Alg, KeyMaterial, VerifyOptions, parse_jwk};

const RFC7515_PAYLOAD_B64: &str =
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

/// RFC 7515 appendix A.1: HS256.
const A1_JWK: &str = r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#;
const A1_HEADER_B64: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9";
const A1_SIGNATURE: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/// RFC 7515 appendix A.2: RS256.
const A2_JWK: &str = r#"{"kty":"RSA",
 "n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
 "e":"AQAB",
 "d":"Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ",
 "p":"4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc",
 "q":"uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc"}"#;
const A2_HEADER_B64: &str = "eyJhbGciOiJSUzI1NiJ9";
const A2_SIGNATURE: &str = "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

/// RFC 8037 appendix A.1 (key) and A.4 (Ed25519 signature).
const RFC8037_JWK: &str = r#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
const RFC8037_INPUT: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
const RFC8037_SIGNATURE: &str =
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

fn key(jwk: &str) -> KeyMaterial {
    parse_jwk(jwk).expect("RFC key parses").material
}

/// Before the RFC examples' exp (1300819380), so only the signature decides.
fn options(allowed: Vec<Alg>) -> VerifyOptions {
    VerifyOptions {
        allowed,
        leeway_secs: 0,
        now: 1_300_819_000,
        require_exp: false,
        expect: Default::default(),
    }
}

#[test]
fn rfc7515_a1_hs256_signature_is_reproduced_and_verified() {
    let key = key(A1_JWK);
    let input = format!("{A1_HEADER_B64}.{RFC7515_PAYLOAD_B64}");
    assert_eq!(token::sign_input(&input, &key, Alg::HS256).expect("signs"), A1_SIGNATURE);
    let decoded = token::decode(&format!("{input}.{A1_SIGNATURE}")).expect("decodes");
    let result = token::verify(&decoded, &key, &options(vec![Alg::HS256]));
    assert!(result.valid, "{:?}", result.problems);
    assert_eq!(result.alg, Some(Alg::HS256));
}

#[test]
fn rfc7515_a1_fails_after_exp_and_with_another_key() {
    let decoded =
        token::decode(&format!("{A1_HEADER_B64}.{RFC7515_PAYLOAD_B64}.{A1_SIGNATURE}")).expect("decodes");
    let late = VerifyOptions { now: 1_300_819_381, ..options(vec![Alg::HS256]) };
    let result = token::verify(&decoded, &key(A1_JWK), &late);
    assert_eq!(
        result.problems,
        vec![token::Invalid::Expired { exp: 1_300_819_380, seconds_ago: 1, leeway_secs: 0 }]
    );
    let other =
        KeyMaterial::hmac(tokensmith::secret::Secret::new(b"another secret".to_vec())).expect("secret");
    let result = token::verify(&decoded, &other, &options(vec![Alg::HS256]));
    assert_eq!(result.problems, vec![token::Invalid::BadSignature { alg: Alg::HS256 }]);
}

#[test]
fn rfc7515_a2_rs256_signature_is_reproduced_and_verified() {
    let key = key(A2_JWK);
    assert_eq!(key.rsa_bits(), Some(2048));
    let input = format!("{A2_HEADER_B64}.{RFC7515_PAYLOAD_B64}");
    assert_eq!(token::sign_input(&input, &key, Alg::RS256).expect("signs"), A2_SIGNATURE);
    let decoded = token::decode(&format!("{input}.{A2_SIGNATURE}")).expect("decodes");
    let result = token::verify(&decoded, &key.public(), &options(vec![Alg::RS256]));
    assert!(result.valid, "{:?}", result.problems);
}

#[test]
fn rfc8037_a4_ed25519_signature_is_reproduced_and_verified() {
    let key = key(RFC8037_JWK);
    assert_eq!(token::sign_input(RFC8037_INPUT, &key, Alg::EdDSA).expect("signs"), RFC8037_SIGNATURE);
    assert!(token::verify_input(RFC8037_INPUT, RFC8037_SIGNATURE, &key.public(), Alg::EdDSA));
    let tampered = RFC8037_INPUT.replace("RXhh", "RXha");
    assert!(!token::verify_input(&tampered, RFC8037_SIGNATURE, &key.public(), Alg::EdDSA));
}

#[test]
fn the_header_never_picks_the_algorithm() {
    // The RS256 vector's public key, used as HMAC text, must not verify an HS256 token made
    // with that text: the key is RSA, so only RS*/PS* are even considered.
    let rsa = key(A2_JWK).public();
    let allowed = token::allowed_algs(None, &rsa).expect("allowed");
    assert!(!allowed.contains(&Alg::HS256));
    let fake_secret = KeyMaterial::Hmac(tokensmith::secret::Secret::new(A2_JWK.as_bytes().to_vec()));
    let forged_input = format!("eyJhbGciOiJIUzI1NiJ9.{RFC7515_PAYLOAD_B64}");
    let forged_sig = token::sign_input(&forged_input, &fake_secret, Alg::HS256).expect("signs");
    let decoded = token::decode(&format!("{forged_input}.{forged_sig}")).expect("decodes");
    let result = token::verify(&decoded, &rsa, &options(allowed));
    assert!(
        matches!(result.problems.as_slice(), [token::Invalid::AlgNotAllowed { header_alg, .. }] if header_alg == "HS256")
    );
    assert_eq!(result.signature_ok, None);
}

#[test]
fn alg_none_decodes_but_never_verifies() {
    let decoded = token::decode(&format!("eyJhbGciOiJub25lIn0.{RFC7515_PAYLOAD_B64}.")).expect("decodes");
    assert_eq!(decoded.alg(), Some("none"));
    let result = token::verify(&decoded, &key(A1_JWK), &options(vec![Alg::HS256]));
    assert!(!result.valid);
}
