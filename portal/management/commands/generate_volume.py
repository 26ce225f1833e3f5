"""``manage.py generate_volume``: national-scale data for statistics and benchmarks (logic in portal.volume).

    manage.py generate_volume --filings 100000 --nominations 20000 [--units 2000] [--seed N]
    manage.py generate_volume --scale 1000000      # filings; nominations and units follow (÷5, ÷50)

Refused under production settings unless --force (it writes tens of thousands of made-up rows).
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from portal import volume


class Command(BaseCommand):
    help = "生成大批量测试数据（备案申请、推优作品、审核记录）。Never under production settings without --force."

    def add_arguments(self, parser):
        parser.add_argument("--filings", type=int, default=None)
        parser.add_argument("--nominations", type=int, default=None)
        parser.add_argument("--units", type=int, default=None)
        parser.add_argument("--scale", type=int, default=None, help="filings; nominations = ÷5, units = ÷50")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true", help="run even under production settings")

    def handle(self, *args, **options):
        production = os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production")
        if production and not options["force"]:
            raise CommandError("generate_volume 不能在生产环境配置下运行（如确需运行请加 --force）。")
        scale = options["scale"]
        filings = options["filings"] if options["filings"] is not None else (scale or 100_000)
        nominations = options["nominations"] if options["nominations"] is not None else max(20, filings // 5)
        units = options["units"] if options["units"] is not None else max(20, min(filings // 50, 100_000))
        if min(filings, nominations, units) < 0 or units == 0:
            raise CommandError("--filings/--nominations 不能为负数，--units 至少为 1。")
        self.stdout.write(f"generating {filings:,} filings, {nominations:,} nominations over {units:,} units …")
        result = volume.generate(
            filings=filings, nominations=nominations, units=units, seed=options["seed"], say=self.stdout.write
        )
        for label, n in sorted(result.counts.items()):
            self.stdout.write(f"  {label}: {n:,}")
        self.stdout.write(self.style.SUCCESS(f"done in {result.seconds:.1f} s"))
