"""Seed the key industries of R-FAC-2 (000 青环〔2023〕111号; 001 吉环执法字〔2023〕9号)."""

from django.db import migrations

KEY_INDUSTRIES = [
    ("264", "涂料、油墨、颜料及类似产品制造", "000 青环〔2023〕111号"),
    ("336", "金属表面处理及热处理加工", "000 青环〔2023〕111号"),
    ("7724", "危险废物治理", "000 青环〔2023〕111号"),
    ("222", "造纸", "001 吉环执法字〔2023〕9号"),
    ("312", "炼钢", "001 吉环执法字〔2023〕9号"),
    ("441", "电力", "001 吉环执法字〔2023〕9号"),
    ("462", "污水处理及其再生利用", "001 吉环执法字〔2023〕9号"),
]


def seed(apps, schema_editor):
    KeyIndustry = apps.get_model("permits", "KeyIndustry")
    for code, name, source in KEY_INDUSTRIES:
        KeyIndustry.objects.get_or_create(code=code, defaults={"name": name, "source": source})


class Migration(migrations.Migration):
    dependencies = [("permits", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
