"""`make stack` (scripts/stack.sh) and docker-compose.yml describe the same production stack."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def compose_services() -> set[str]:
    text = (ROOT / "docker-compose.yml").read_text()
    block = text.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    # MinIO (object storage, --profile s3) is compose-only: the loopback stack keeps files on disk. The read
    # replica (--profile replica) is optional on both sides: the stack's is STACK_REPLICA (tests/stack/
    # test_stack_grow.py), compose's deploy/postgres/replica.sh (tests/stack/test_compose_replica.py).
    return set(re.findall(r"^  ([a-z][a-z0-9_-]*):$", block, re.M)) - {"minio", "minio-bucket", "postgres-replica"}


def test_the_stack_runs_the_services_of_docker_compose():
    stack = subprocess.run(
        ["bash", "scripts/stack.sh", "services"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert (
        set(stack)
        == compose_services()
        == {
            "proxy",
            "web",
            "worker",
            "worker-certificates",
            "worker-notifications",
            "beat",
            "postgres",
            "redis",
        }
    )


def test_each_celery_queue_has_its_own_worker_in_both_stacks():
    from django.conf import settings

    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    queues = set(settings.CELERY_TASK_QUEUES)
    assert routed == {"certificates", "notifications"}
    assert queues == routed | {settings.CELERY_TASK_DEFAULT_QUEUE} == {"default", "certificates", "notifications"}
    script = (ROOT / "scripts" / "stack.sh").read_text()
    assert set(re.search(r'^WORKER_QUEUES="([^"]+)"$', script, re.M).group(1).split()) == queues
    assert '--queues "$queue"' in script and '--pidfile "$STATE/run/worker-$queue.pid"' in script
    compose = (ROOT / "docker-compose.yml").read_text()
    consumed = dict(
        re.findall(r'^  (worker[a-z-]*):\n(?:    .*\n)*?    command: \["worker", "--queues", "([a-z]+)"', compose, re.M)
    )
    assert consumed == {
        "worker": "default",
        "worker-certificates": "certificates",
        "worker-notifications": "notifications",
    }
    # exactly one beat in both
    assert compose.count('command: ["beat"]') == 1
    assert script.count('"$BIN/celery" -A portal beat') == 1


def test_the_stack_sets_the_settings_names_that_docker_compose_documents():
    script = (ROOT / "scripts" / "stack.sh").read_text()
    exported = set(re.findall(r"export ([A-Z][A-Z0-9_]+)=", script)) | set(
        re.findall(r"^  export ([A-Z][A-Z0-9_]+)$", script, re.M)
    )
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / "deploy" / "env.example").read_text(), re.M))
    compose = set(re.findall(r"^\s+([A-Z][A-Z0-9_]+):", (ROOT / "docker-compose.yml").read_text(), re.M))
    required = {"SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "REDIS_URL", "SECURE_SSL_REDIRECT"}
    assert required <= exported
    assert required <= documented
    # Every name the stack sets is one the deployment knows (documented or set by docker-compose),
    # so a setting cannot exist only on one side.
    assert exported - documented - compose - {"DJANGO_SETTINGS_MODULE", "STATIC_ROOT", "BEHIND_PROXY"} == set()
    assert {"DJANGO_SETTINGS_MODULE", "PRIVATE_MEDIA_ROOT", "PRIVATE_MEDIA_ACCEL_PREFIX"} <= compose


def test_the_stack_nginx_configuration_is_made_from_the_deployment_one():
    script = (ROOT / "scripts" / "stack.sh").read_text()
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "deploy/nginx.conf" in script
    # the substitutions the script makes must find their lines, or the two would drift apart
    for line in ("server web:8000;", "listen 80;", "alias /srv/static/;", "alias /srv/private/;"):
        assert line in nginx, line
    assert "location /protected/" in nginx and "internal;" in nginx
    assert re.search(r"client_max_body_size \d+m;", nginx)
