#!/usr/bin/python3
"""An independent ActivityPub peer for Vidra's interop tests: another language, another signature
library (Debian's python3-httpsig). Serves WebFinger and one actor, verifies the Digest and the
draft-cavage signature of everything posted to its inbox (fetching the sender's key and checking
that the key belongs to the activity's actor), and sends signed Follow and Undo when told to on
/control/*. Listens on 127.0.0.1 only; prints {"port": N} once ready. Stops when stdin closes."""

import base64
import hashlib
import json
import sys
import threading
import urllib.parse
import urllib.request
import uuid
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from Cryptodome.PublicKey import RSA
from httpsig import HeaderSigner, HeaderVerifier

KEY = RSA.generate(2048)
PRIVATE_PEM = KEY.export_key().decode()
PUBLIC_PEM = KEY.publickey().export_key().decode()
AP = "application/activity+json"
STATE = {"received": [], "follow": None, "base": None}
LOCK = threading.Lock()


def actor_id():
    return STATE["base"] + "/actor"


def actor_document():
    return {
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": actor_id(),
        "type": "Person",
        "preferredUsername": "peer",
        "inbox": STATE["base"] + "/inbox",
        "outbox": STATE["base"] + "/outbox",
        "publicKey": {"id": actor_id() + "#main-key", "owner": actor_id(), "publicKeyPem": PUBLIC_PEM},
    }


def get_json(url):
    request = urllib.request.Request(url, headers={"Accept": AP})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def signed_post(inbox, activity):
    body = json.dumps(activity).encode()
    parts = urllib.parse.urlsplit(inbox)
    headers = {
        "Host": parts.netloc,
        "Date": formatdate(usegmt=True),
        "Digest": "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode(),
        "Content-Type": AP,
    }
    signer = HeaderSigner(
        actor_id() + "#main-key",
        PRIVATE_PEM,
        algorithm="rsa-sha256",
        headers=["(request-target)", "host", "date", "digest", "content-type"],
        sign_header="signature",
    )
    headers = signer.sign(headers, host=parts.netloc, method="POST", path=parts.path)
    request = urllib.request.Request(inbox, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def verify(handler, body):
    """(verified, reason, activity) for a POST to our inbox."""
    headers = {k.lower(): v for k, v in handler.headers.items()}
    digest = headers.get("digest", "")
    expected = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
    if digest.split(",")[0].strip().replace("sha-256=", "SHA-256=") != expected:
        return False, "digest", None
    activity = json.loads(body)
    signature = headers.get("signature", "")
    fields = dict(
        (p.split("=", 1)[0], p.split("=", 1)[1].strip('"')) for p in signature.split(",") if "=" in p
    )
    key_id = fields.get("keyId")
    if not key_id:
        return False, "unsigned", activity
    owner = get_json(key_id.split("#")[0])
    keys = owner.get("publicKey")
    keys = keys if isinstance(keys, list) else [keys]
    key = next((k for k in keys if k and k.get("id") == key_id), None)
    actor = activity.get("actor")
    if key is None or key.get("owner") != owner.get("id") or owner.get("id") != actor:
        return False, "key owner", activity
    required = [h for h in fields.get("headers", "").split(" ") if h]
    for needed in ("(request-target)", "host", "date", "digest"):
        if needed not in required:
            return False, "missing " + needed, activity
    verifier = HeaderVerifier(
        headers, key["publicKeyPem"], required_headers=required, method="POST",
        path=handler.path, host=headers.get("host"), sign_header="signature",
    )
    if not verifier.verify():
        return False, "signature", activity
    return True, "ok", activity


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, document=None, content_type="application/json"):
        body = json.dumps(document).encode() if document is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path)
        if path.path == "/.well-known/webfinger":
            self.reply(200, {
                "subject": urllib.parse.parse_qs(path.query).get("resource", [""])[0],
                "links": [{"rel": "self", "type": AP, "href": actor_id()}],
            }, "application/jrd+json")
        elif path.path == "/actor":
            self.reply(200, actor_document(), AP)
        elif path.path == "/control/received":
            with LOCK:
                self.reply(200, STATE["received"])
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = urllib.parse.urlsplit(self.path).path
        if path == "/inbox":
            try:
                ok, reason, activity = verify(self, body)
            except Exception as error:  # a bad request never stops the peer
                ok, reason, activity = False, "error: %s" % error, None
            with LOCK:
                STATE["received"].append({
                    "verified": ok, "reason": reason,
                    "type": (activity or {}).get("type"), "activity": activity,
                })
            self.reply(202 if ok else 401, {"verified": ok, "reason": reason})
        elif path == "/control/follow":
            target = json.loads(body)["target"]  # acct:name@host
            name, host = target[len("acct:"):].split("@")
            jrd = get_json("http://%s/.well-known/webfinger?resource=%s" % (host, urllib.parse.quote(target)))
            href = next(l["href"] for l in jrd["links"] if l.get("rel") == "self")
            remote = get_json(href)
            follow = {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": STATE["base"] + "/follows/" + str(uuid.uuid4()),
                "type": "Follow", "actor": actor_id(), "object": remote["id"],
            }
            STATE["follow"] = (follow, remote["inbox"])
            self.reply(200, {"status": signed_post(remote["inbox"], follow), "id": follow["id"]})
        elif path == "/control/undo":
            follow, inbox = STATE["follow"]
            undo = {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": STATE["base"] + "/undos/" + str(uuid.uuid4()),
                "type": "Undo", "actor": actor_id(), "object": follow,
            }
            self.reply(200, {"status": signed_post(inbox, undo), "id": undo["id"]})
        else:
            self.reply(404, {"error": "not found"})


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    STATE["base"] = "http://127.0.0.1:%d" % server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"port": server.server_address[1]}), flush=True)
    sys.stdin.read()  # the test closes stdin (or dies): stop then
    server.shutdown()


if __name__ == "__main__":
    main()
