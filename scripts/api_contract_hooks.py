"""Schemathesis hooks of scripts/api-contract (loaded through SCHEMATHESIS_HOOKS).

- The inbound SMS route wants each request signed as the gateway signs it:
  X-Relais-Timestamp (Unix seconds) and X-Relais-Signature, the hex
  HMAC-SHA256 of `timestamp + "." + body` with RELAIS_SMS_INBOUND_SECRET.
  The hook serialises the generated body itself and hands schemathesis these
  exact bytes to send, so the signature covers what goes on the wire.
- Every answer's status is written, one line per call, to the file named by
  API_CONTRACT_STATUSES ("METHOD PATH STATUS"), so that the script can check
  that each operation was answered with success at least once: an operation
  only ever refused (no key, no data, no signature) is not tested.
"""

import hashlib
import hmac
import json
import os
import time

import schemathesis

INBOUND_PATH = "/api/sms/inbound"
SECRET = os.environ.get("RELAIS_SMS_INBOUND_SECRET", "")
STATUSES = os.environ.get("API_CONTRACT_STATUSES")


def _body_bytes(case):
    body = case.body
    if body is None or type(body).__name__ == "NotSet":
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str) and "json" not in (case.media_type or ""):
        return body.encode("utf-8")
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.path != INBOUND_PATH or case.method.upper() != "POST" or not SECRET:
        return
    body = _body_bytes(case)
    timestamp = str(int(time.time()))
    signature = hmac.new(
        SECRET.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256
    ).hexdigest()
    # The bytes signed are the bytes sent (`data` replaces the generated body).
    kwargs["data"] = body
    headers = dict(case.headers or {})
    # Header names are case-insensitive: drop generated variants first.
    for name in list(headers):
        if name.lower() in ("x-relais-timestamp", "x-relais-signature"):
            del headers[name]
    headers["X-Relais-Timestamp"] = timestamp
    headers["X-Relais-Signature"] = signature
    case.headers = headers


@schemathesis.hook
def after_call(context, case, response):
    if not STATUSES:
        return
    with open(STATUSES, "a", encoding="utf-8") as out:
        out.write(f"{case.method.upper()} {case.path} {response.status_code}\n")
