"""The README's production setup, for real: Debian's nginx terminates TLS (a certificate
made for this test) in front of `confide serve` configured from `deploy/confide.env`,
and Chromium signs in over https as a clinician with the second factor and opens a
chart.

nginx runs from the files in `deploy/` (the same server block and proxy settings an
operator installs), with only what a test must change filled in: its ports on
127.0.0.1, the certificate's paths, the include's path and Confide's port. The
environment is `deploy/confide.env` with only the paths, the origin's port and the
database changed. nginx runs as an ordinary process with its own prefix in a temporary
directory (as `nobody` when the test runs as root), never as the system's service.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    CHROMIUM_ARGS,
    _free_port,
    axe_check,
    served_confide,
    sign_in,
)

NGINX = "/usr/sbin/nginx"
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
HOST = "confide.example.org"  # the public name in deploy/; the browser resolves it to 127.0.0.1

pytestmark = pytest.mark.skipif(not os.access(NGINX, os.X_OK),
                                reason=f"no {NGINX}: Debian's nginx-light is not installed (.ci/run installs it)")


def _certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for HOST (and 127.0.0.1), made now; (chain, key) paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    chain, private = directory / "fullchain.pem", directory / "privkey.pem"
    chain.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return chain, private


def _replace(text: str, pattern: str, new: str) -> str:
    """`pattern` replaced by `new`, exactly once: a deploy file that changed shape fails
    here, loudly, instead of the test running some other configuration."""
    out, n = re.subn(pattern, new, text, flags=re.MULTILINE)
    assert n == 1, f"deploy/ no longer has {pattern!r} once ({n} times): update the test's templating"
    return out


def _site_config(prefix: Path, *, https_port: int, http_port: int, confide_port: int, chain: Path,
                 key: Path) -> Path:
    """deploy/nginx-confide.conf and deploy/confide-proxy.conf for this test's ports and
    paths, inside a minimal nginx.conf of the test's own; the nginx.conf's path."""
    proxy = prefix / "confide-proxy.conf"
    shutil.copyfile(DEPLOY / "confide-proxy.conf", proxy)
    site = (DEPLOY / "nginx-confide.conf").read_text()
    site = _replace(site, r"^(\s*)listen 80;", rf"\1listen 127.0.0.1:{http_port};")
    site = _replace(site, r"^(\s*)listen 443 ssl", rf"\1listen 127.0.0.1:{https_port} ssl")
    site = _replace(site, r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{confide_port};")
    site = _replace(site, r"ssl_certificate\s+/etc/ssl/confide/fullchain\.pem;", f"ssl_certificate {chain};")
    site = _replace(site, r"ssl_certificate_key\s+/etc/ssl/confide/privkey\.pem;", f"ssl_certificate_key {key};")
    site = site.replace("include /etc/nginx/confide-proxy.conf;", f"include {proxy};")
    assert not re.search(r"^[^#]*/etc/", site, re.MULTILINE), "deploy/nginx-confide.conf names a path the test does not fill in"
    (prefix / "confide-site.conf").write_text(site)
    temp = "\n".join(f"    {kind}_temp_path {prefix / 'temp' / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = prefix / "nginx.conf"
    conf.write_text(f"""worker_processes 1;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} warn;
events {{ worker_connections 512; }}
http {{
{temp}
    include {prefix / 'confide-site.conf'};
}}
""")
    return conf


def _production_env(var_dir: Path, https_port: int) -> dict:
    """deploy/confide.env, as the README says to install it, with this test's paths and
    the public origin's port."""
    env = {}
    for line in (DEPLOY / "confide.env").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    assert env["CONFIDE_HTTPS"] == "1" and env["CONFIDE_ALLOWED_HOSTS"] == HOST
    env["CONFIDE_VAR_DIR"] = str(var_dir)
    env["CONFIDE_MASTER_KEY_FILE"] = str(var_dir / "master.key")
    env["CONFIDE_CSRF_TRUSTED_ORIGINS"] = f"https://{HOST}:{https_port}"
    return env


@pytest.fixture(scope="module")
def behind_nginx(tmp_path_factory):
    """(server, https base url, nginx's prefix): Confide behind nginx, both running."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    https_port, http_port, confide_port = _free_port(), _free_port(), _free_port()
    var_dir = tmp_path_factory.mktemp("https-var")
    # nginx's own prefix, owned by the unprivileged user it runs as.
    prefix = Path(tempfile.mkdtemp(prefix="confide-nginx-"))
    try:
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (prefix / "temp" / kind).mkdir(parents=True)
        chain, key = _certificate(prefix)
        conf = _site_config(prefix, https_port=https_port, http_port=http_port, confide_port=confide_port,
                            chain=chain, key=key)
        run_as = {}
        if os.geteuid() == 0:
            # Never nginx as root: it runs as nobody, its prefix nobody's.
            group = "nogroup" if _group_exists("nogroup") else "nobody"
            run_as = {"user": "nobody", "group": group, "extra_groups": []}
            for path in [prefix, *prefix.rglob("*")]:
                shutil.chown(path, user="nobody", group=group)
        nginx = [NGINX, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf)]
        checked = subprocess.run([*nginx, "-t"], capture_output=True, text=True, **run_as)
        assert checked.returncode == 0, f"nginx -t refused deploy/nginx-confide.conf:\n{checked.stderr}"
        env = _production_env(var_dir, https_port)
        with served_confide(var_dir, f"{worker}_https", demo=True, probe="/login/", extra_env=env,
                            port=confide_port) as server:
            with open(prefix / "nginx.out", "w") as out:
                proc = subprocess.Popen([*nginx, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=out,
                                        **run_as)
            try:
                _wait_for_port(https_port, proc, prefix)
                server.base_url = f"https://{HOST}:{https_port}"
                yield server, http_port, prefix
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def _group_exists(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


def _wait_for_port(port: int, proc, prefix: Path) -> None:
    import socket

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("nginx exited: " + (prefix / "nginx.out").read_text()[-2000:]
                               + (prefix / "error.log").read_text()[-2000:])
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("nginx did not listen")


def test_clinician_signs_in_over_https_behind_nginx_and_opens_a_chart(behind_nginx, launch_browser):
    server, http_port, _prefix = behind_nginx
    base = server.base_url
    browser = launch_browser(args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST} 127.0.0.1"])
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    policy_errors: list[str] = []
    page.on("console", lambda m: policy_errors.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text else None)
    responses = []
    page.on("response", lambda r: responses.append(r) if r.url.startswith(base) else None)
    page.set_default_timeout(60_000)  # a loaded machine: nginx, the server and Chromium share two cores
    try:
        first = page.goto(f"{base}/login/")
        assert first is not None and first.status == 200, (first.status if first else None,
                                                             page.content()[:1500])
        sign_in(page, server, "marsh")
        assert page.url.startswith(f"{base}/"), page.url  # Confide's redirect kept the scheme, host and port
        expect(page.get_by_role("heading", level=1)).to_have_text("Today")

        # Every page over https: HSTS, a Content-Security-Policy with no inline script,
        # nothing cached.
        documents = [r for r in responses if r.request.resource_type == "document"]
        assert len(documents) >= 3, [r.url for r in documents]  # the form, the sign-in, today
        for response in documents:
            headers = response.all_headers()
            assert headers.get("strict-transport-security", "").startswith("max-age=31536000"), (response.url, headers)
            csp = headers.get("content-security-policy", "")
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp, (response.url, csp)
            assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, csp
            assert "no-store" in headers.get("cache-control", ""), (response.url, headers)
        # The sign-in set the session cookie Secure and HttpOnly, and every cookie is Secure.
        posted = [r for r in documents if r.request.method == "POST" and r.url == f"{base}/login/"]
        assert posted, [(r.request.method, r.url) for r in documents]
        session_lines = [h["value"] for h in posted[-1].headers_array()
                         if h["name"].lower() == "set-cookie" and h["value"].startswith("sessionid=")]
        assert session_lines and all("Secure" in v and "HttpOnly" in v for v in session_lines), session_lines
        cookies = {c["name"]: c for c in context.cookies(base)}
        assert {"sessionid", "csrftoken"} <= set(cookies), cookies
        assert all(c["secure"] for c in cookies.values()), cookies

        # The chart opens over https, from today's sessions.
        page.get_by_role("table").filter(has_text="11:00 AM").get_by_role("link").first.click()
        expect(page.get_by_role("navigation", name="Chart sections")).to_be_visible()
        assert page.url.startswith(f"{base}/clients/"), page.url
        axe_check(page)
        assert not policy_errors, policy_errors
    finally:
        context.close()
        browser.close()

    # Plain http to the proxy is sent to https.
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(urllib.request.Request(f"http://127.0.0.1:{http_port}/login/", headers={"Host": HOST}),
                    timeout=5)
    assert answer.value.code == 301 and answer.value.headers["Location"].startswith(f"https://{HOST}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
