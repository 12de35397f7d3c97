from django.db import migrations


def seed(apps, schema_editor):
    rule = apps.get_model("evaluations", "EvaluationRule")
    if not rule.objects.exists():
        rule.objects.create(
            name="Quy định 366-QĐ/TW",
            source="Quy định 366-QĐ/TW ngày 30/8/2025 (các mức xếp loại); Nghị định 335/2025/NĐ-CP (trừ 25% điểm "
            "tiến độ của sản phẩm chậm); Nghị quyết 21-NQ/TW (mục tiêu trên 90% hoàn thành tốt trở lên)",
        )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
