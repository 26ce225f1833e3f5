"""Certificates get a status life (有效 / 暂扣 / 已注销 / 已失效) with a record of every change,
and remember the address their PDF's QR code encodes and who signed it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import django.utils.timezone


REASONS = [
    ("rectification", "责令限期整改"),
    ("investigation", "涉嫌违规，立案调查"),
    ("holder_request", "持证单位申请注销"),
    ("violation", "节目内容违规，依法注销"),
    ("false_information", "以欺骗等不正当手段取得"),
    ("result_withdrawn", "入选资格已撤销"),
    ("term_ended", "有效期届满"),
    ("business_ended", "持证单位终止经营或资质失效"),
    ("rectified", "整改完成，恢复有效"),
    ("cleared", "调查结束，恢复有效"),
    ("other", "其他"),
]
STATUSES = [("valid", "有效"), ("suspended", "暂扣"), ("revoked", "已注销"), ("expired", "已失效")]


def record_past_revocations(apps, schema_editor):
    """A certificate revoked before today gets its one event (reason category 其他)."""
    Certificate = apps.get_model("review", "Certificate")
    CertificateEvent = apps.get_model("review", "CertificateEvent")
    for certificate in Certificate.objects.filter(status="revoked").iterator():
        Certificate.objects.filter(pk=certificate.pk).update(status_reason="other")
        CertificateEvent.objects.create(
            certificate=certificate,
            from_status="valid",
            to_status="revoked",
            reason="other",
            note=certificate.status_note or "—",
            actor_id=certificate.status_changed_by_id,
            at=certificate.status_changed_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0005_review_record_reason"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="certificate", name="certificate_revocation_consistent"),
        migrations.RenameField(model_name="certificate", old_name="revoked_reason", new_name="status_note"),
        migrations.RenameField(model_name="certificate", old_name="revoked_at", new_name="status_changed_at"),
        migrations.RenameField(model_name="certificate", old_name="revoked_by", new_name="status_changed_by"),
        migrations.AlterField(
            model_name="certificate",
            name="status_note",
            field=models.CharField(blank=True, max_length=500, verbose_name="情况说明"),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="status_changed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="状态变更时间"),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="status",
            field=models.CharField(choices=STATUSES, default="valid", max_length=16, verbose_name="状态"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="status_reason",
            field=models.CharField(blank=True, choices=REASONS, max_length=40, verbose_name="原因类别"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="pdf_verify_url",
            field=models.CharField(blank=True, max_length=300, verbose_name="二维码地址"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="pdf_signer",
            field=models.CharField(blank=True, max_length=300, verbose_name="签名证书"),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.CheckConstraint(
                condition=models.Q(status="valid") | models.Q(status_changed_at__isnull=False),
                name="certificate_status_change_recorded",
            ),
        ),
        migrations.CreateModel(
            name="CertificateEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("from_status", models.CharField(choices=STATUSES, max_length=16, verbose_name="原状态")),
                ("to_status", models.CharField(choices=STATUSES, max_length=16, verbose_name="新状态")),
                ("reason", models.CharField(choices=REASONS, max_length=40, verbose_name="原因类别")),
                ("note", models.CharField(max_length=500, verbose_name="情况说明")),
                ("actor_name", models.CharField(blank=True, max_length=100, verbose_name="操作人")),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                (
                    "certificate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="events", to="review.certificate"
                    ),
                ),
            ],
            options={"verbose_name": "证照状态记录", "verbose_name_plural": "证照状态记录", "ordering": ["at", "pk"]},
        ),
        migrations.RunPython(record_past_revocations, migrations.RunPython.noop),
    ]
