"""The satisfaction and participation targets move to the agency, beside the other
targets the reports measure; an agency keeps the values it had."""

from django.db import migrations


def copy_targets_to_agency(apps, schema_editor):
    Agency = apps.get_model("agency", "Agency")
    FeedbackPolicy = apps.get_model("feedback", "FeedbackPolicy")
    for policy in FeedbackPolicy.objects.all():
        Agency.objects.filter(pk=policy.agency_id).update(
            satisfaction_target_percent=policy.satisfaction_target_percent,
            participation_target_percent=policy.participation_target_percent,
        )


def copy_targets_to_policy(apps, schema_editor):
    Agency = apps.get_model("agency", "Agency")
    FeedbackPolicy = apps.get_model("feedback", "FeedbackPolicy")
    for agency in Agency.objects.all():
        FeedbackPolicy.objects.filter(agency_id=agency.pk).update(
            satisfaction_target_percent=agency.satisfaction_target_percent,
            participation_target_percent=agency.participation_target_percent,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agency", "0008_report_targets"),
        ("feedback", "0003_report_indexes"),
    ]

    operations = [
        migrations.RunPython(copy_targets_to_agency, copy_targets_to_policy),
        migrations.RemoveField(model_name="feedbackpolicy", name="participation_target_percent"),
        migrations.RemoveField(model_name="feedbackpolicy", name="satisfaction_target_percent"),
    ]
