"""A group (Verbund) of N Sozialmonitor processes behind nginx on this machine, all on 127.0.0.1, nginx as a
foreground process with its configuration generated into a folder of its own (no root, no system nginx, no port
below 1024). Used by the 3-process browser test, by `bench/betrieb_bench.py`, and for a trial without systemd:

    python -m sozialmonitor.betrieb.verbund --prozesse 3 --port 8080     # until Ctrl-C

Each process is `streamlit run server.py` (the same entry as scripts/app.sh and the systemd units) on the one
published database (SOZIALMONITOR_DB); an import publishes a new file, and every process opens it at its next page run.
The nginx site is betrieb.nginx.site without TLS."""

from __future__ import annotations

import argparse
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sozialmonitor.betrieb import nginx
from sozialmonitor.daten.config import PROJECT_ROOT
from sozialmonitor.errors import SozialmonitorFehler

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
LOG_ZEILE = re.compile(r'"(?P<methode>\S+) (?P<pfad>\S+) [^"]*" (?P<status>\d{3}) \d+ (?P<dauer>[\d.]+) '
                       r'prozess=(?P<prozess>\S+) sitzung=(?P<sitzung>\S+)')


class VerbundFehler(SozialmonitorFehler):
    """A process or nginx did not start; str() names which and the end of its log."""


def freier_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Prozess:
    port: int
    popen: subprocess.Popen
    log: Path

    def cpu_sekunden(self) -> float:
        """User plus system CPU time the process has used so far (s), from /proc; 0 once it ended. Independent of
        how many other programs share the machine, unlike wall-clock latency."""
        try:
            felder = Path(f"/proc/{self.popen.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(felder[11]) + int(felder[12])) / os.sysconf("SC_CLK_TCK")

    def speicher_kb(self) -> int:
        """Resident memory (VmRSS) in KiB, 0 once the process ended."""
        try:
            status = Path(f"/proc/{self.popen.pid}/status").read_text()
        except OSError:
            return 0
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        return int(found.group(1)) if found else 0


@dataclass
class Verbund:
    """The running group: url of nginx, the processes, nginx's access log (format `sozialmonitor`)."""

    url: str
    prozesse: list[Prozess]
    nginx: subprocess.Popen
    verzeichnis: Path
    access_log: Path

    def zugriffe(self) -> list[dict]:
        """Parsed lines of the access log: methode, pfad, status (int), dauer (s), prozess (host:port), sitzung."""
        if not self.access_log.exists():
            return []
        rows = []
        for line in self.access_log.read_text(encoding="utf-8", errors="replace").splitlines():
            found = LOG_ZEILE.search(line)
            if found:
                row = found.groupdict()
                row["status"], row["dauer"] = int(row["status"]), float(row["dauer"])
                rows.append(row)
        return rows


def _warte_bis_gesund(url: str, popen: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            raise VerbundFehler(f"Der Prozess für {url} ist beendet (Code {popen.returncode}): "
                                f"{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise VerbundFehler(f"{url} antwortet nach {timeout:.0f} s nicht: {log.read_text(errors='replace')[-2000:]}")


def _nginx_conf(verzeichnis: Path, ports: Sequence[int], port: int) -> str:
    temp = verzeichnis / "temp"
    pfade = "\n".join(f"    {name}_temp_path {temp / name};" for name in ("client_body", "proxy", "fastcgi",
                                                                            "uwsgi", "scgi"))
    return f"""daemon off;
worker_processes 1;
pid {verzeichnis / "nginx.pid"};
error_log {verzeichnis / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
{pfade}
    access_log off;
{nginx.site(ports, server_name="127.0.0.1", tls=None, listen=f"127.0.0.1:{port}",
            access_log=str(verzeichnis / "access.log"))}
}}
"""


def _ohne_rechte() -> list[str]:
    """Run nginx as nobody when this process is root (as in a CI container): nginx needs no privileges here."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


@contextmanager
def verbund(anzahl: int, datenbank: Path, *, port: int | None = None, verzeichnis: Path | None = None,
            env: dict | None = None, timeout: float = 120) -> Iterator[Verbund]:
    """Start `anzahl` processes (`streamlit run server.py` on free ports of 127.0.0.1, SOZIALMONITOR_DB=datenbank)
    and nginx in front of them on `port` (default: a free one); yields the Verbund and stops everything after.
    Raises VerbundFehler if a process or nginx does not come up within `timeout` seconds."""
    eigenes = verzeichnis is None
    verzeichnis = Path(verzeichnis or tempfile.mkdtemp(prefix="sozialmonitor-verbund-"))
    verzeichnis.mkdir(parents=True, exist_ok=True)
    umgebung = dict(env or os.environ, SOZIALMONITOR_DB=str(datenbank))
    prozesse: list[Prozess] = []
    nginx_popen = None
    try:
        for _ in range(anzahl):
            p = freier_port()
            log = verzeichnis / f"streamlit-{p}.log"
            popen = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "server.py", "--server.address", "127.0.0.1",
                 "--server.port", str(p), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                cwd=PROJECT_ROOT, env=umgebung, stdout=log.open("w"), stderr=subprocess.STDOUT)
            prozesse.append(Prozess(p, popen, log))
        for prozess in prozesse:
            _warte_bis_gesund(f"http://127.0.0.1:{prozess.port}", prozess.popen, prozess.log, timeout)

        port = port or freier_port()
        nginx_dir = verzeichnis / "nginx"
        (nginx_dir / "temp").mkdir(parents=True, exist_ok=True)
        conf = nginx_dir / "nginx.conf"
        conf.write_text(_nginx_conf(nginx_dir, [p.port for p in prozesse], port), encoding="utf-8")
        if _ohne_rechte():
            nobody = pwd.getpwnam("nobody")
            for pfad in [verzeichnis, nginx_dir, *nginx_dir.rglob("*")]:
                if pfad == verzeichnis:
                    pfad.chmod(0o755)  # nobody must reach nginx/ inside it
                else:
                    os.chown(pfad, nobody.pw_uid, nobody.pw_gid)
        nginx_log = verzeichnis / "nginx.out"
        nginx_popen = subprocess.Popen(
            _ohne_rechte() + [NGINX, "-p", str(nginx_dir), "-e", str(nginx_dir / "error.log"), "-c", str(conf)],
            stdout=nginx_log.open("w"), stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        _warte_bis_gesund(url, nginx_popen, nginx_log, timeout)
        yield Verbund(url, prozesse, nginx_popen, verzeichnis, nginx_dir / "access.log")
    finally:
        for popen in [nginx_popen] + [p.popen for p in prozesse]:
            if popen is not None and popen.poll() is None:
                popen.send_signal(signal.SIGTERM if popen is not nginx_popen else signal.SIGQUIT)
        for popen in [nginx_popen] + [p.popen for p in prozesse]:
            if popen is not None:
                try:
                    popen.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    popen.kill()
                    popen.wait()
        if eigenes:
            shutil.rmtree(verzeichnis, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    from sozialmonitor.importer import demo
    from sozialmonitor.daten.config import database_path

    parser = argparse.ArgumentParser(prog="python -m sozialmonitor.betrieb.verbund",
                                     description="N Sozialmonitor-Prozesse hinter nginx auf diesem Rechner starten")
    parser.add_argument("--prozesse", type=int, default=3)
    parser.add_argument("--port", type=int, default=8080, help="Port von nginx auf 127.0.0.1")
    parser.add_argument("--db", type=Path, default=None, help="Datenbank (sonst SOZIALMONITOR_DB bzw. die Demo)")
    args = parser.parse_args(argv)
    datenbank = args.db or database_path()
    demo.ensure_database(datenbank, erster_start=True)  # the try-out on the demo; once, not in N processes
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # systemd/timeout: stop the group like Ctrl-C
    try:
        with verbund(args.prozesse, datenbank, port=args.port) as laufend:
            print(f"{args.prozesse} Prozesse hinter nginx: {laufend.url} (beenden mit Strg+C)", flush=True)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    except VerbundFehler as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
