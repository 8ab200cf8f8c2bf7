"""A checker written from the vendors' docs for six more JWT vendors (shared/vendors.md,
"Further vendors"), independent of tokensmith's profiles: it plays the vendor's side. It
verifies the signature with PyJWT and the algorithms the vendor accepts, then checks the header
and the claims the docs require. Unconfirmed limits are notes, never problems.

    python3 more_rules.py VENDOR TOKEN [--now UNIX_SECONDS]

VENDOR is zendesk-messaging, zendesk-chat, intercom, salesforce, kustomer or drift. The key
comes from the environment: MORE_SECRET (the shared secret, as text) or, for salesforce,
MORE_PUBLIC_KEY_FILE (a PEM), with MORE_KID (the uploaded JWK's kid) and MORE_ISSUER (the
keyset's issuer). Prints {"ok": bool, "problems": [...], "notes": [...]} and exits 0 when ok,
1 when not, 2 on bad input.
"""

import json
import os
import re
import sys
import time

import jwt

MILLIS = 100_000_000_000  # above this, a time is in milliseconds


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_text(value):
    return isinstance(value, str) and value != ""


class Check:
    def __init__(self, header, payload, now):
        self.header = header
        self.payload = payload
        self.now = now
        self.problems = []
        self.notes = []

    def need(self, ok, problem):
        if not ok:
            self.problems.append(problem)

    def seconds(self, name):
        value = self.payload.get(name)
        if not is_int(value):
            self.problems.append(f"{name} must be an integer of seconds, got {value!r}")
            return None
        if value > MILLIS:
            self.problems.append(f"{name} is {value}: milliseconds, not seconds")
            return None
        return value

    def required_seconds(self, name):
        if name not in self.payload:
            self.problems.append(f"{name} is required")
            return None
        return self.seconds(name)

    def optional_exp(self):
        if "exp" in self.payload:
            self.not_expired(self.seconds("exp"))

    def not_expired(self, exp):
        if exp is not None:
            self.need(self.now < exp, f"expired: exp {exp} is not after {self.now}")

    def optional_text(self, name):
        if name in self.payload:
            self.need(isinstance(self.payload[name], str), f"{name} must be a string")


def zendesk_messaging(c):
    # Header: kid = the signing key's id, typ JWT. Claims: scope "user", external_id (at most
    # 255 characters); name, email, email_verified optional; a past exp is refused.
    c.need(is_text(c.header.get("kid")), "the header needs kid: the signing key's id")
    c.need(c.header.get("typ") == "JWT", f"the header's typ must be JWT, got {c.header.get('typ')!r}")
    c.need(c.payload.get("scope") == "user", f"scope must be \"user\", got {c.payload.get('scope')!r}")
    ext = c.payload.get("external_id")
    c.need(is_text(ext), f"external_id must be a non-empty string, got {ext!r}")
    if isinstance(ext, str):
        # Zendesk's support article 4411666638746: alphanumeric, at most 255 characters.
        c.need(len(ext) <= 255, f"external_id has {len(ext)} characters; at most 255")
        # Alphanumeric; '-' and '_' pass, as in UUIDs (tokensmith's "alphanumeric" reads it so).
        c.need(re.fullmatch(r"[A-Za-z0-9_-]+", ext) is not None, f"external_id {ext!r} is not alphanumeric")
    c.optional_text("name")
    c.optional_text("email")
    if "email_verified" in c.payload:
        c.need(isinstance(c.payload["email_verified"], bool), "email_verified must be true or false")
    c.optional_exp()


def zendesk_chat(c):
    # Zendesk's article 4408838925082: name, email, external_id and iat; iat at most 2 minutes
    # off; exp at most 7 minutes after iat. It lists exp, but all five of its code samples sign
    # without it: a missing exp is a note, not a refusal.
    for name in ("name", "email", "external_id"):
        c.need(is_text(c.payload.get(name)), f"{name} must be a non-empty string")
    iat = c.required_seconds("iat")
    exp = c.seconds("exp") if "exp" in c.payload else None
    if "exp" not in c.payload:
        c.notes.append("no exp: the article lists it, its code samples leave it out")
    c.not_expired(exp)
    if iat is not None:
        c.need(abs(iat - c.now) <= 120, f"iat {iat} is more than two minutes from now ({c.now})")
    if iat is not None and exp is not None:
        c.need(exp - iat <= 420, f"exp is {exp - iat}s after iat; 7 minutes at most")


def intercom(c):
    # user_id required (string or number); email and name optional; exp optional.
    uid = c.payload.get("user_id")
    c.need(is_text(uid) or is_int(uid), f"user_id is required, got {uid!r}")
    c.optional_text("email")
    c.optional_text("name")
    c.optional_exp()


def salesforce(c):
    # kid = the uploaded JWK's kid; iss = the keyset's issuer; sub; exp.
    c.need(c.header.get("kid") == os.environ.get("MORE_KID"),
           f"kid {c.header.get('kid')!r} is not the uploaded JWK's kid")
    c.need(c.payload.get("iss") == os.environ.get("MORE_ISSUER"),
           f"iss {c.payload.get('iss')!r} is not the keyset's issuer")
    c.need(is_text(c.payload.get("sub")), "sub must be a non-empty string")
    c.not_expired(c.required_seconds("exp"))


def kustomer(c):
    # email or externalId (email wins); iat required, refused when over 15 minutes old
    # (developer.kustomer.com chat identity docs; Kustomer's iOS sample Constants.swift).
    c.need(is_text(c.payload.get("email")) or is_text(c.payload.get("externalId")),
           "the token needs email or externalId")
    iat = c.required_seconds("iat")
    if iat is not None:
        c.need(c.now - iat <= 900, f"iat {iat} is more than 15 minutes old")
    c.optional_exp()


def drift(c):
    # sub required; an expired token is refused.
    c.need(is_text(c.payload.get("sub")), f"sub must be a non-empty string, got {c.payload.get('sub')!r}")
    c.optional_exp()


VENDORS = {
    "zendesk-messaging": (["HS256"], zendesk_messaging),
    "zendesk-chat": (["HS256"], zendesk_chat),
    "intercom": (["HS256"], intercom),
    "salesforce": (["RS256", "RS512"], salesforce),
    "kustomer": (["HS256"], kustomer),
    "drift": (["HS256"], drift),
}


def main(argv):
    args = argv[1:]
    now = int(time.time())
    if "--now" in args:
        at = args.index("--now")
        now = int(args[at + 1])
        del args[at:at + 2]
    if len(args) != 2 or args[0] not in VENDORS:
        print(__doc__, file=sys.stderr)
        return 2
    vendor, token = args
    algs, rules = VENDORS[vendor]
    if algs[0].startswith("RS"):
        with open(os.environ["MORE_PUBLIC_KEY_FILE"], "rb") as f:
            key = f.read()
    else:
        key = os.environ["MORE_SECRET"]
    problems = []
    header = payload = None
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") not in algs:
            problems.append(f"alg is {header.get('alg')!r}; the vendor accepts {', '.join(algs)}")
        options = {"verify_exp": False, "verify_iat": False, "verify_nbf": False, "verify_aud": False}
        payload = jwt.decode(token, key, algorithms=algs, options=options)
    except jwt.PyJWTError as ex:
        problems.append(f"{type(ex).__name__}: {ex}")
    notes = []
    if payload is not None:
        check = Check(header, payload, now)
        rules(check)
        problems += check.problems
        notes = check.notes
    print(json.dumps({"ok": not problems, "problems": problems, "notes": notes}))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
