"""A checker written from the five seed pages alone (seeds/*.txt), independent of tokensmith's
profiles: does a token have what the vendor's page asks for? It verifies the signature with
PyJWT and the algorithm the page names, then checks each claim the page requires, its JSON
type as the page's own samples send it, and the page's time rules.

    python3 seed_rules.py VENDOR TOKEN [--now UNIX_SECONDS]

VENDOR is talla, viasocket, orlo, ticketping or tiledesk. The key comes from the environment:
SEED_SECRET (the shared secret, as text) or, for orlo, SEED_PUBLIC_KEY_FILE (a PEM). Prints
{"ok": bool, "problems": [...], "notes": [...]} and exits 0 when ok, 1 when not, 2 on bad
input. Notes are advice the page gives (Ticketping's 5 minutes), never problems.
"""

import json
import os
import re
import sys
import time

import jwt

MILLIS = 100_000_000_000  # above this, a time is in milliseconds (the year 5138 in seconds)


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_text(value):
    return isinstance(value, str) and value != ""


def is_email(value):
    return isinstance(value, str) and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) is not None


class Check:
    def __init__(self, payload, now):
        self.payload = payload
        self.now = now
        self.problems = []
        self.notes = []

    def need(self, ok, problem):
        if not ok:
            self.problems.append(problem)

    def seconds(self, name, obj=None):
        """A unix time in whole seconds, or None (with a problem) when it is not one."""
        value = (self.payload if obj is None else obj).get(name)
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

    def not_expired(self, exp):
        if exp is not None:
            self.need(self.now < exp, f"expired: exp {exp} is not after {self.now}")


def talla(c):
    # "exp" is in the Ruby sample only (the JavaScript one signs {account}); "account" holds
    # first_name, last_name, email and uid (a uuid string; md5 of the email in the sample).
    account = c.payload.get("account")
    c.need(isinstance(account, dict), f"account must be an object, got {account!r}")
    if isinstance(account, dict):
        for name in ("first_name", "last_name", "uid"):
            c.need(is_text(account.get(name)), f"account.{name} must be a non-empty string")
        c.need(is_email(account.get("email")), "account.email must be an email address")
    if "exp" in c.payload:
        c.not_expired(c.seconds("exp"))


def viasocket(c):
    # {"org_id": "8069", "project_id": "projmdFTEvPR", "user_id": "unique_user_id"}: strings.
    for name in ("org_id", "project_id", "user_id"):
        c.need(is_text(c.payload.get(name)), f"{name} must be a non-empty string, got {c.payload.get(name)!r}")


def orlo(c):
    # A minimum of name: "customer name" and isLoggedIn: true; email optional.
    c.need(is_text(c.payload.get("name")), "name must be a non-empty string")
    c.need(c.payload.get("isLoggedIn") is True, f"isLoggedIn must be true, got {c.payload.get('isLoggedIn')!r}")
    if "email" in c.payload:
        c.need(isinstance(c.payload["email"], str), "email must be a string")


def ticketping(c):
    # external_id (required; the samples send user.id as it is: a number or a string), email
    # (required), display_name (optional), exp (required; 5 minutes recommended).
    ext = c.payload.get("external_id")
    c.need(is_int(ext) or is_text(ext), f"external_id must be a string or a number, got {ext!r}")
    c.need(is_email(c.payload.get("email")), "email must be an email address")
    if "display_name" in c.payload:
        c.need(isinstance(c.payload["display_name"], str), "display_name must be a string")
    c.need("exp" in c.payload, "exp is required")
    if "exp" in c.payload:
        exp = c.seconds("exp")
        c.not_expired(exp)
        start = c.payload.get("iat") if is_int(c.payload.get("iat")) else c.now
        if exp is not None and exp - start > 5 * 60:
            c.notes.append(f"exp is {exp - start}s after issue; the page recommends 5 minutes")


def tiledesk(c):
    # The page's payload: name, email, external_id (alphanumeric; its example is user-123456),
    # iat (seconds, two minutes of clock skew), exp (seconds, at most 10 minutes after iat).
    c.need(is_text(c.payload.get("name")), "name must be a non-empty string")
    c.need(is_email(c.payload.get("email")), "email must be an email address")
    ext = c.payload.get("external_id")
    c.need(isinstance(ext, str) and re.fullmatch(r"[A-Za-z0-9_-]+", ext) is not None,
           f"external_id must be an alphanumeric string, got {ext!r}")
    iat, exp = c.required_seconds("iat"), c.required_seconds("exp")
    if iat is not None:
        c.need(iat <= c.now + 120, f"iat {iat} is more than two minutes ahead of {c.now}")
    c.not_expired(exp)
    if iat is not None and exp is not None:
        c.need(exp - iat <= 600, f"exp is {exp - iat}s after iat; the page allows at most 10 minutes")


VENDORS = {
    "talla": ("HS256", talla),
    "viasocket": ("HS256", viasocket),
    "orlo": ("RS256", orlo),
    "ticketping": ("HS256", ticketping),
    "tiledesk": ("HS256", tiledesk),
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
    alg, rules = VENDORS[vendor]
    if alg == "RS256":
        with open(os.environ["SEED_PUBLIC_KEY_FILE"], "rb") as f:
            key = f.read()
    else:
        key = os.environ["SEED_SECRET"]
    problems = []
    payload = None
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != alg:
            problems.append(f"alg is {header.get('alg')!r}; the page signs with {alg}")
        # Times are this checker's business (judged at --now), and aud is no seed page's rule.
        options = {"verify_exp": False, "verify_iat": False, "verify_nbf": False, "verify_aud": False}
        payload = jwt.decode(token, key, algorithms=[alg], options=options)
    except jwt.PyJWTError as ex:
        problems.append(f"{type(ex).__name__}: {ex}")
    notes = []
    if payload is not None:
        check = Check(payload, now)
        rules(check)
        problems += check.problems
        notes = check.notes
    print(json.dumps({"ok": not problems, "problems": problems, "notes": notes}))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
