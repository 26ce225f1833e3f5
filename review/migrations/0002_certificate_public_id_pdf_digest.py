import secrets

from django.db import migrations, models

import review.models


def fill_public_ids(apps, schema_editor):
    Certificate = apps.get_model("review", "Certificate")
    for cert in Certificate.objects.filter(public_id__isnull=True).only("pk"):
        cert.public_id = secrets.token_urlsafe(12)
        cert.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="public_id",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificate",
            name="public_id",
            field=models.CharField(default=review.models.new_public_id, editable=False, max_length=32, unique=True),
        ),
        migrations.AddField(
            model_name="certificate",
            name="pdf_sha256",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="certificate",
            name="pdf_size",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
    ]
