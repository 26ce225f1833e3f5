"""The operational shell: docker-compose stack, nginx, Dockerfile, CI script, README."""

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    """docker-compose.yml parsed by PyYAML: the venv's, or a system Python's; skipped without either."""
    try:
        import yaml
    except ImportError:
        for candidate in ("python3", "/usr/bin/python3"):
            python = shutil.which(candidate)
            if not python or Path(python).resolve() == Path(sys.executable).resolve():
                continue
            code = "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))"
            result = subprocess.run(
                [python, "-c", code, str(ROOT / "docker-compose.yml")], capture_output=True, text=True, timeout=60
            )
            if result.returncode == 0:
                return json.loads(result.stdout)
            if "No module named 'yaml'" not in result.stderr:
                pytest.fail(f"docker-compose.yml does not parse: {result.stderr}")
        pytest.skip("PyYAML is not installed: YAML syntax not checked")
    with open(ROOT / "docker-compose.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_compose_defines_the_whole_stack():
    services = _compose()["services"]

    # minio/minio-bucket: object storage, started only with --profile s3 (tests/common/test_storage_s3.py);
    # postgres-replica: the statistics' read replica, only with --profile replica (tests/stack/test_compose_replica.py)
    workers = ["worker", "worker-certificates", "worker-notifications"]  # one per Celery queue
    assert {name for name, service in services.items() if service.get("profiles")} == {
        "minio",
        "minio-bucket",
        "postgres-replica",
    }
    assert sorted(set(services) - {"minio", "minio-bucket", "postgres-replica"}) == sorted(
        ["beat", "postgres", "proxy", "redis", "web", *workers]
    )
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["web"]["command"] == ["web"]
    for name, queue in zip(workers, ("default", "certificates", "notifications"), strict=True):
        assert services[name]["command"] == ["worker", "--queues", queue, "--hostname", f"{queue}@%h"]
    assert services["beat"]["command"] == ["beat"]
    for name in ("web", *workers, "beat"):
        assert services[name]["build"]["dockerfile"] == "deploy/Dockerfile"
        assert services[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"
        assert services[name]["env_file"] == ["deploy/.env"]
    for name in services:
        if name != "minio-bucket":  # a one-off job that exits once the bucket exists
            assert "test" in services[name]["healthcheck"], name


def test_compose_proxy_serves_static_and_protected_media_volumes():
    compose = _compose()
    services = compose["services"]

    assert services["web"]["environment"]["PRIVATE_MEDIA_ACCEL_PREFIX"] == "/protected/"
    assert "private-media:/srv/private" in services["web"]["volumes"]
    # certificates are written by the certificates worker
    assert "private-media:/srv/private" in services["worker-certificates"]["volumes"]
    assert "private-media:/srv/private:ro" in services["proxy"]["volumes"]
    assert "static:/srv/static:ro" in services["proxy"]["volumes"]
    assert "static:/srv/static-volume" in services["web"]["volumes"]
    assert services["web"]["environment"]["STATIC_VOLUME"] == "/srv/static-volume"
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]
    assert sorted(compose["volumes"]) == [
        "logs",
        "objects",
        "pgdata",
        "pgreplica",
        "private-media",
        "redisdata",
        "static",
    ]


def _nginx_location(path: str) -> str:
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    match = re.search(r"location\s+" + re.escape(path) + r"\s*\{(.*?)\}", conf, re.S)
    assert match, f"no location {path}"
    return match.group(1)


def test_nginx_protected_location_is_internal_and_maps_the_private_volume():
    body = _nginx_location("/protected/")

    assert re.search(r"^\s*internal;", body, re.M)
    assert re.search(r"^\s*alias /srv/private/;", body, re.M)


def test_nginx_serves_static_from_the_volume_and_proxies_the_rest():
    assert re.search(r"^\s*alias /srv/static/;", _nginx_location("/static/"), re.M)
    root = _nginx_location("/")
    assert "proxy_pass http://portal_web;" in root
    assert "proxy_set_header X-Forwarded-Proto $forwarded_proto;" in root
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in root


def test_dockerfile_installs_pango_cjk_font_and_builds_static_and_catalogues():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")

    assert dockerfile.startswith("# ") and "\nFROM python:3.11-slim-bookworm\n" in dockerfile
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-wqy-microhei", "gettext"):
        assert package in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    assert "manage.py collectstatic --noinput" in dockerfile
    assert "manage.py compilemessages" in dockerfile
    assert "\nUSER portal\n" in dockerfile


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()

    for entry in ("deploy/.env", ".venv", "var", ".git"):
        assert entry in ignored, entry


def test_entrypoint_is_valid_shell_with_every_role():
    script = ROOT / "deploy" / "entrypoint.sh"

    assert subprocess.run(["sh", "-n", str(script)], capture_output=True).returncode == 0
    text = script.read_text(encoding="utf-8")
    for role in ("web)", "worker)", "beat)", "manage)"):
        assert role in text
    assert "exec gunicorn portal.wsgi:application" in text
    assert "exec celery -A portal worker" in text
    assert "exec celery -A portal beat" in text


def test_env_example_points_at_the_compose_services():
    env = dict(
        line.split("=", 1)
        for line in (ROOT / "deploy" / "env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )

    assert env["SECRET_KEY"] == ""  # must be chosen by the operator
    assert env["DATABASE_URL"] == "postgres://portal:change-me@postgres:5432/portal"
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert env["POSTGRES_PASSWORD"] == "change-me"
    assert env["ALLOWED_HOSTS"] == "portal.example.cn"


def test_ci_script_is_strict_executable_bash():
    script = ROOT / ".ci" / "run"
    text = script.read_text(encoding="utf-8")

    assert text.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in text
    assert script.stat().st_mode & stat.S_IXUSR
    assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
    for command in (
        "make test",
        "pg_isready",
        "redis-cli",
        "ruff check",
        "makemigrations --check --dry-run",
        "check --deploy --fail-level WARNING",
        "PORTAL_TEST_DB_NAME",
    ):
        assert command in text, command


def _settings_variables() -> set[str]:
    names = set()
    for path in (ROOT / "portal" / "settings").glob("*.py"):
        names |= set(re.findall(r"""env(?:_bool|_list)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", path.read_text("utf-8")))
    return names


def test_readme_documents_every_environment_variable():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", readme))

    missing = sorted(_settings_variables() - documented)

    assert missing == []


def test_readme_quick_start_is_make_run_then_make_test():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```(?:sh|bash|shell)?\n(.*?)```", readme, re.S).group(1)

    assert [line.strip() for line in first_block.strip().splitlines()] == ["make run", "make test"]


def test_makefile_keeps_the_developer_targets():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")

    for target in ("run", "test", "lint", "bench", "e2e"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "--ds=portal.settings.test" in makefile
    assert os.path.exists(ROOT / "scripts" / "system-deps.sh")
