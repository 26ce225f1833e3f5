"""Delete expired resumable (tus) uploads and their partial files (periodic job)."""

from django.core.management.base import BaseCommand

from common.resumable.services import purge_expired


class Command(BaseCommand):
    help = "删除过期的断点续传记录及其临时文件 / Delete expired resumable uploads and their partial files."

    def handle(self, *args, **options):
        deleted = purge_expired()
        self.stdout.write(f"purge_uploads: deleted {deleted}")
