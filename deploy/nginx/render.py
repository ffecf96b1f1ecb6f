"""Fills in the nginx template (site.conf) for production or for a run on this machine.

Production (Debian's nginx, as root): prints the site's configuration for /etc/nginx/sites-enabled/, e.g.

    python deploy/nginx/render.py --site-url https://www.example.nl --upstream 127.0.0.1:8000 \\
        --certificate /etc/letsencrypt/live/www.example.nl/fullchain.pem \\
        --certificate-key /etc/letsencrypt/live/www.example.nl/privkey.pem > /etc/nginx/sites-enabled/kernteam

On this machine, as any user: `--folder DIR` writes DIR/nginx.conf (local.conf: pid, logs and temporary files in
DIR) and DIR/site.conf, listening on 127.0.0.1 only, with a self-signed certificate for localhost made in DIR/tls
unless it is there; `--run` then starts nginx in the foreground (make serve-proxy, the tests, make faults).
"""

import argparse
import getpass
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent


def fill(template, values):
    """The template with every @NAME@ replaced; a name left without a value is an error, not a broken config."""
    text = template.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", str(value))
    missing = sorted(set(re.findall(r"@([A-Z_]+)@", text)))
    if missing:
        raise SystemExit(f"{template.name}: no value for {', '.join(missing)}")
    return text


def self_signed_certificate(folder):
    """A certificate for localhost and 127.0.0.1 (browsers warn once; the tests do not verify it), made once."""
    folder.mkdir(parents=True, exist_ok=True)
    certificate, key = folder / "localhost.pem", folder / "localhost-key.pem"
    if not certificate.exists():
        subprocess.run(  # noqa: S603 - a fixed command
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            + ["-days", "365", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
            + ["-keyout", str(key), "-out", str(certificate)],
            check=True,
            capture_output=True,
        )
    return certificate, key


def site_values(site_url, upstream, http_listen, https_listen, purge_listen, certificate, key, cache_dir):
    address = urlsplit(site_url)
    if address.scheme != "https" or not address.hostname:
        raise SystemExit("--site-url must be the site's https:// address")
    return {
        "SERVER_NAME": address.hostname,
        "PUBLIC_HOST": address.netloc,
        "UPSTREAM": upstream,
        "HTTP_LISTEN": http_listen,
        "HTTPS_LISTEN": https_listen,
        "PURGE_LISTEN": purge_listen,
        "CERTIFICATE": certificate,
        "CERTIFICATE_KEY": key,
        "CACHE_DIR": cache_dir,
    }


def write_local(folder, site_url, upstream, http_port, purge_port, access_log=None):
    """The configuration for a run on this machine in `folder`; returns the path of its nginx.conf."""
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    certificate, key = self_signed_certificate(folder / "tls")
    https_port = urlsplit(site_url).port or 443
    values = site_values(
        site_url,
        upstream,
        f"127.0.0.1:{http_port}",
        f"127.0.0.1:{https_port}",
        f"127.0.0.1:{purge_port}",
        certificate,
        key,
        folder / "cache",
    )
    (folder / "site.conf").write_text(fill(HERE / "site.conf", values))
    main = {"FOLDER": folder, "USER": getpass.getuser(), "ACCESS_LOG": access_log or folder / "access.log"}
    (folder / "nginx.conf").write_text(fill(HERE / "local.conf", main))
    return folder / "nginx.conf"


def nginx_command(config):
    return ["nginx", "-p", str(config.parent), "-c", str(config), "-g", "daemon off;"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site-url", required=True, help="the public https:// address (SITE_URL)")
    parser.add_argument("--upstream", default="127.0.0.1:8000", help="gunicorn's address")
    parser.add_argument("--http-port", type=int, default=80)
    parser.add_argument("--purge-port", type=int, default=8081, help="PURGE from this machine (CDN_PURGE_URL)")
    parser.add_argument("--certificate", help="production: the certificate chain")
    parser.add_argument("--certificate-key", help="production: its key")
    parser.add_argument("--cache-dir", default="/var/cache/nginx/kernteam", help="production: the page cache")
    parser.add_argument("--folder", type=Path, help="this machine: write nginx.conf and site.conf here")
    parser.add_argument("--access-log", help="this machine: where the access log goes (default in --folder)")
    parser.add_argument("--run", action="store_true", help="this machine: then run nginx in the foreground")
    options = parser.parse_args()
    if options.folder:
        ports = options.http_port, options.purge_port
        config = write_local(options.folder, options.site_url, options.upstream, *ports, options.access_log)
        if options.run:
            command = nginx_command(config)
            os.execvp(command[0], command)  # noqa: S606 - nginx itself, so a signal to this process reaches it
        print(config)
        return
    if not (options.certificate and options.certificate_key):
        parser.error("production needs --certificate and --certificate-key (or --folder for this machine)")
    values = site_values(
        options.site_url,
        options.upstream,
        str(options.http_port),
        str(urlsplit(options.site_url).port or 443),
        f"127.0.0.1:{options.purge_port}",
        options.certificate,
        options.certificate_key,
        options.cache_dir,
    )
    print(fill(HERE / "site.conf", values), end="")


if __name__ == "__main__":
    main()
