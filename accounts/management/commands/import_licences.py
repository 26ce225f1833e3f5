from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.services.licences import LicenceImportError, import_licences


class Command(BaseCommand):
    help = (
        "导入原平台网络文化经营许可证账号（CSV，UTF-8 或 GB18030）。"
        "Import legacy licence accounts from CSV; idempotent by licence_no."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file")
        parser.add_argument(
            "--allow-errors",
            action="store_true",
            help="exit with status 0 even when some rows are rejected",
        )
        parser.add_argument("--dry-run", action="store_true", help="validate only, change nothing")

    def handle(self, *args, file: str, allow_errors: bool, dry_run: bool, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}: {exc.strerror}")
        try:
            result = import_licences(data, dry_run=dry_run, source=path.name)
        except LicenceImportError as exc:
            raise CommandError(exc.message)
        for row in result.rejected:
            self.stderr.write(str(row))
        summary = result.summary()
        if dry_run:
            summary = f"[dry-run] {summary}"
        self.stdout.write(summary)
        if result.rejected and not allow_errors:
            raise CommandError(f"有 {len(result.rejected)} 行被拒绝（加 --allow-errors 可忽略）。", returncode=2)
