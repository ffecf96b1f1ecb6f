from django.db import migrations


def record_sent_editions(apps, schema_editor):
    """Records the updates of every edition whose sending has started as told by it, so that a site that has sent
    editions does not tell their updates again. An update two sendings reported stays the earlier one's.

    The edition's items as they are now: the same as when sent, unless the edition was published again since.
    """
    mailing_model = apps.get_model("newsletter", "Mailing")
    told_model = apps.get_model("newsletter", "ToldUpdate")
    told = {}
    sendings = mailing_model.objects.filter(started_at__isnull=False).select_related("edition")
    for mailing in sendings.order_by("started_at", "pk"):
        # As newsletter/told.py reads them, written out here so that this migration stays as it was written.
        for item in mailing.edition.items.raw_data:
            for update in item["value"]["updates"]:
                if "id" in update and update["id"] not in told:
                    told[update["id"]] = told_model(update_id=update["id"], mailing=mailing, told_at=mailing.started_at)
    told_model.objects.bulk_create(told.values(), batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0008_toldupdate"),
    ]

    operations = [
        migrations.RunPython(record_sent_editions, migrations.RunPython.noop),
    ]
