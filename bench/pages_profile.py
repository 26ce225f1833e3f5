"""Where one request of the detail page, the editor and /verify/<token>/ spends its time (issue 11).

Against a generated bench database (bench/scale.py makes portal_bench_<size>), under the bench's
production settings, in-process through the test client: the queries (with the SQL of each when
``--sql``), the server time (median of a few), the template renders (``{% include %}`` and form
widgets counted) and a cProfile of one request, sorted by cumulative time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_100000 \\
        .venv/bin/python bench/pages_profile.py [--pages detail editor verify] [--sql] [--top 40]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.scale_settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/11")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("SMS_BACKEND", "locmem")
os.environ.setdefault("EMAIL_BACKEND", "locmem")
os.environ.setdefault("SITE_URL", "https://portal.example.cn")
_WORK = Path(tempfile.gettempdir()) / f"portal-pages-profile-{os.getuid()}"
os.environ.setdefault("LOG_DIR", str(_WORK / "log"))
os.environ.setdefault("STATIC_ROOT", str(_WORK / "static"))  # collectstatic once: see main()
os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(_WORK / "private"))

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.template import base as template_base  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import scale_probe as probe  # noqa: E402  (django.setup() there)


def paths() -> dict[str, tuple[object, str]]:
    from accounts.enums import Authority
    from accounts.models import Organisation
    from filings.models import Filing
    from review.models import Certificate

    found: dict[str, tuple[object, str]] = {}
    official = probe.logged_in(probe.staff("bench-mct-hunan", Authority.MCT))
    filing = Filing.objects.filter(province=probe.HUNAN).exclude(state="draft").order_by("-submitted_at", "-id").first()
    if filing is not None:
        found["detail"] = (official, f"/staff/filings/filing/{filing.public_id}/change/")
    unit = (
        Organisation.objects.filter(province=probe.HUNAN, kind="enterprise", administrator__isnull=False)
        .annotate(n=Count("filings"))
        .order_by("-n", "id")
        .first()
    )
    if unit is not None:
        draft = Filing.objects.filter(organisation=unit, state="draft").order_by("id").first()
        if draft is not None:
            found["editor"] = (probe.logged_in(unit.administrator), f"/filings/applications/{draft.public_id}/edit/")
    certificate = Certificate.objects.filter(status="valid").order_by("id").first()
    if certificate is not None:
        found["verify"] = (probe.logged_in(None), f"/verify/{certificate.token}/")
    return found


class RenderCounter:
    """Counts Template.render calls by template name (includes and form widgets are Template renders)."""

    def __init__(self):
        self.counts: Counter[str] = Counter()
        self._original = template_base.Template.render

    def __enter__(self):
        counts, original = self.counts, self._original

        def render(template, context):
            counts[template.origin.template_name if template.origin else "?"] += 1
            return original(template, context)

        template_base.Template.render = render
        return self

    def __exit__(self, *exc):
        template_base.Template.render = self._original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="+", default=["detail", "editor", "verify"])
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative", help="pstats key: cumulative, tottime …")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    if not Path(os.environ["STATIC_ROOT"], "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", "--noinput", "-v", "0")
    found = paths()
    for name in args.pages:
        if name not in found:
            print(f"== {name}: nothing to open in this database")
            continue
        client, path = found[name]
        first = client.get(path, secure=True)
        print(f"\n== {name} {path} → {first.status_code}")
        timings, cpu = [], []
        for _ in range(args.repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(path, secure=True)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        timings.sort()
        cpu.sort()
        with CaptureQueriesContext(connection) as captured, RenderCounter() as renders:
            client.get(path, secure=True)
        print(
            f"server ms median {timings[len(timings) // 2]:.1f} (min {timings[0]:.1f}), CPU ms median "
            f"{cpu[len(cpu) // 2]:.1f} (min {cpu[0]:.1f}); {len(captured)} queries"
        )
        if args.sql:
            for query in captured.captured_queries:
                print(f"  [{float(query['time']) * 1000:.1f} ms] {query['sql'][:300]}")
        print(f"template renders: {sum(renders.counts.values())}; most: {renders.counts.most_common(8)}")
        profiler = cProfile.Profile(time.process_time)  # CPU time: a loaded machine's waits left out
        profiler.enable()
        client.get(path, secure=True)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:12000])


if __name__ == "__main__":
    main()
