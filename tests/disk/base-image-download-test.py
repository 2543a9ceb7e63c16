#!/usr/bin/python3
# HeroVirt.BaseImageBuilder's download rules against local servers on
# 127.0.0.1 (python http.server, HTTPS with a self-signed certificate made
# by openssl and given to the builder as its CA): plain http and unverified
# TLS need a pinned SHA-256; a pin that does not match fails; SHA256SUMS is
# believed only with a good SHA256SUMS.gpg (a key generated in a temporary
# GNUPGHOME, checked with gpgv and a keyring the caller gives); a server
# that stalls runs into the overall timeout; a published image naming a
# backing file is refused. Nothing is left in the destination after a
# failure.
# SPDX-License-Identifier: LGPL-2.1-or-later
import hashlib
import http.server
import os
import shutil
import ssl
import subprocess
import tempfile
import threading

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import GLib, HeroVirt  # noqa: E402

import tap  # noqa: E402
from tap import test  # noqa: E402

Err = HeroVirt.Error
W = {}          # work dir, files, servers
STALLED = []    # connections the "stall" handler holds open


def expect_error(code, func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        assert e.matches(HeroVirt.error_quark(), code), f"wanted {code}, got {e.code}: {e.message}"
        return e
    raise AssertionError(f"{func} did not fail")


def run(*argv, **kw):
    return subprocess.run(argv, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if len(parts) != 2:
            return self.send_error(404)
        d, name = parts
        if d == "stall" and name == "test.img":
            self.send_response(200)
            self.send_header("Content-Length", str(len(W["image"])))
            self.end_headers()
            self.wfile.flush()
            ev = threading.Event()
            STALLED.append(ev)
            ev.wait(600)       # until the test tears the server down
            return
        body = W["files"].get((d, name))
        if body is None:
            return self.send_error(404)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(tls):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(W["cert"], W["key"])
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    return httpd, t


def url(scheme, d, name="test.img"):
    port = W[scheme][0].server_address[1]
    return f"{scheme.rstrip('2')}://127.0.0.1:{port}/{d}/{name}"


def dest(name):
    path = os.path.join(W["dir"], "dest-" + name)
    os.makedirs(path, exist_ok=True)
    return path


def builder(scheme, d, dest_name, **props):
    props.setdefault("tls_ca_file", W["cert"])
    return HeroVirt.BaseImageBuilder(url=url(scheme, d),
                                     dest_dir=dest(dest_name), **props)


def fails_leaving_nothing(code, b):
    e = expect_error(code, b.build, None, None)
    left = os.listdir(b.props.dest_dir) if os.path.isdir(b.props.dest_dir) else []
    assert left == [], left
    return e


def setup():
    d = W["dir"] = tempfile.mkdtemp(prefix="base-image-dl-")
    W["cert"], W["key"] = os.path.join(d, "ca.pem"), os.path.join(d, "key.pem")
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", W["key"], "-out",
        W["cert"], "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
    img = os.path.join(d, "src.qcow2")
    run("qemu-img", "create", "-q", "-f", "qcow2", img, "16M")
    W["image"] = open(img, "rb").read()
    W["sha"] = hashlib.sha256(W["image"]).hexdigest()
    sums = f"{W['sha']} *test.img\n".encode()
    # A published image that names a backing file (a host file here).
    evil = os.path.join(d, "evil.qcow2")
    run("qemu-img", "create", "-q", "-f", "qcow2", "-u", "-b", "/etc/hostname", "-F", "raw", evil, "16M")
    W["evil"] = open(evil, "rb").read()
    evil_sha = hashlib.sha256(W["evil"]).hexdigest()

    # A signing key in a temporary GNUPGHOME; the caller's keyring is its
    # exported public key; another key signs the forgery.
    gnupg = os.path.join(d, "gnupg")
    other = os.path.join(d, "gnupg-other")
    sigs = {}
    for home in (gnupg, other):
        os.makedirs(home, mode=0o700)
        run("gpg", "--homedir", home, "--batch", "--passphrase", "", "--quick-gen-key",
            "HeroVirt Test <test@example.invalid>", "ed25519", "sign", "never")
    W["keyring"] = os.path.join(d, "keyring.gpg")
    run("gpg", "--homedir", gnupg, "--batch", "--export", "--output", W["keyring"])
    for home, tag, data in ((gnupg, "good", sums), (other, "forged", sums),
                            (gnupg, "tampered", sums)):
        sp = os.path.join(d, "sums-" + tag)
        open(sp, "wb").write(data)
        run("gpg", "--homedir", home, "--batch", "--yes", "--detach-sign", "--output", sp + ".gpg", sp)
        sigs[tag] = open(sp + ".gpg", "rb").read()
    for home in (gnupg, other):
        subprocess.run(["gpgconf", "--homedir", home, "--kill", "gpg-agent"], check=False)

    W["files"] = {
        ("good", "test.img"): W["image"], ("good", "SHA256SUMS"): sums,
        ("signed", "test.img"): W["image"], ("signed", "SHA256SUMS"): sums,
        ("signed", "SHA256SUMS.gpg"): sigs["good"],
        ("forged", "test.img"): W["image"], ("forged", "SHA256SUMS"): sums,
        ("forged", "SHA256SUMS.gpg"): sigs["forged"],
        # The sums changed after signing: the signature no longer holds.
        ("tampered", "test.img"): W["image"],
        ("tampered", "SHA256SUMS"): f"{'0' * 64} *test.img\n".encode(),
        ("tampered", "SHA256SUMS.gpg"): sigs["tampered"],
        ("unsigned", "test.img"): W["image"], ("unsigned", "SHA256SUMS"): sums,
        ("evil", "test.img"): W["evil"], ("evil", "SHA256SUMS"): f"{evil_sha} *test.img\n".encode(),
    }
    W["https"] = serve(True)
    W["http"] = serve(False)
    # The unknown-certificate cases get a server of their own: GLib's TLS
    # session cache (per host and port) would resume a session verified
    # earlier with the CA, and a resumed session is not verified again.
    W["https2"] = serve(True)


def teardown():
    for ev in STALLED:
        ev.set()
    for key in ("https", "http", "https2"):
        if key in W:
            W[key][0].shutdown()
            W[key][0].server_close()
            W[key][1].join()
    shutil.rmtree(W["dir"], ignore_errors=True)


@test
def https_with_the_given_ca():
    r = builder("https", "good", "ok").build(None, None)
    assert r.props.sha256 == W["sha"] and r.props.downloaded
    assert HeroVirt.Disk.new(r.props.path).info(None).get_format() == "qcow2"


@test
def an_unknown_certificate_is_refused():
    fails_leaving_nothing(Err.NETWORK, builder("https2", "good", "noca", tls_ca_file=None))
    e = fails_leaving_nothing(Err.INVALID_ARGUMENT,
                              builder("https2", "good", "noverify", tls_ca_file=None, tls_verify=False))
    assert "pinned sha256" in e.message, e.message
    r = builder("https2", "good", "noverify-pinned", tls_ca_file=None, tls_verify=False,
                sha256=W["sha"]).build(None, None)
    assert r.props.sha256 == W["sha"]


@test
def plain_http_needs_opt_in_and_a_pin():
    e = fails_leaving_nothing(Err.INVALID_ARGUMENT, builder("http", "good", "http"))
    assert "https" in e.message, e.message
    fails_leaving_nothing(Err.INVALID_ARGUMENT, builder("http", "good", "http-optin", allow_insecure=True))
    # A pin alone does not turn http on.
    fails_leaving_nothing(Err.INVALID_ARGUMENT, builder("http", "good", "http-pin", sha256=W["sha"]))
    r = builder("http", "good", "http-ok", allow_insecure=True, sha256=W["sha"].upper()).build(None, None)
    assert r.props.sha256 == W["sha"]
    # An https image with an http SHA256SUMS is still http.
    b = builder("https", "good", "mixed", checksums_url=url("http", "good", "SHA256SUMS"))
    fails_leaving_nothing(Err.INVALID_ARGUMENT, b)
    for scheme_url in ["ftp://127.0.0.1/x.img", "file:///etc/passwd"]:
        b = HeroVirt.BaseImageBuilder(url=scheme_url, dest_dir=dest("scheme"))
        fails_leaving_nothing(Err.INVALID_ARGUMENT, b)


@test
def a_wrong_pin_fails():
    fails_leaving_nothing(Err.CHECKSUM, builder("https", "good", "badpin", sha256="ab" * 32))
    fails_leaving_nothing(Err.CHECKSUM, builder("http", "good", "badpin-http",
                                                allow_insecure=True, sha256="ab" * 32))
    fails_leaving_nothing(Err.INVALID_ARGUMENT, builder("https", "good", "notapin", sha256="xyz"))


@test
def sha256sums_signature_with_gpgv():
    r = builder("https", "signed", "signed", keyring=W["keyring"]).build(None, None)
    assert r.props.sha256 == W["sha"]
    # Pinned and signed: both must agree.
    builder("https", "signed", "signed-pin", keyring=W["keyring"], sha256=W["sha"]).build(None, None)
    fails_leaving_nothing(Err.CHECKSUM, builder("https", "signed", "signed-badpin",
                                                keyring=W["keyring"], sha256="cd" * 32))
    for d in ["forged", "tampered", "unsigned"]:
        e = fails_leaving_nothing(Err.CHECKSUM, builder("https", d, "sig-" + d, keyring=W["keyring"]))
        assert "SHA256SUMS" in e.message, e.message
    fails_leaving_nothing(Err.INVALID_ARGUMENT,
                          builder("https", "signed", "nokeyring", keyring=os.path.join(W["dir"], "none")))


@test
def the_overall_timeout():
    b = builder("https", "stall", "stall", sha256=W["sha"], timeout=2)
    e = fails_leaving_nothing(Err.TIMEOUT, b)
    assert "2 s" in e.message, e.message


@test
def a_published_image_with_a_backing_file_is_refused():
    e = fails_leaving_nothing(Err.INVALID_ARGUMENT, builder("https", "evil", "evil"))
    assert "backing file" in e.message, e.message


def main():
    t = tap.Tap()
    for tool in ["qemu-img", "openssl", "gpg", "gpgv", "gpgconf"]:
        if shutil.which(tool) is None:
            t.skip_all(tool + " is not installed")
    try:
        setup()
        for fn in tap._tests:
            t.run(fn.__name__, fn)
    finally:
        if "dir" in W:
            teardown()
    return t.done()


if __name__ == "__main__":
    raise SystemExit(main())
