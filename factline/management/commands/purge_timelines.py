"""Remove for good the timelines deleted more than 30 days ago (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from factline import services
from factline.models.timelines import RESTORE_DAYS


class Command(BaseCommand):
    help = f"Remove for good the timelines deleted more than {RESTORE_DAYS} days ago, with their entries and citations."

    def handle(self, *args: object, **options: object) -> None:
        purged = services.timeline_purge()
        self.stdout.write(f"Purged {purged} timeline{'s' if purged != 1 else ''} deleted over {RESTORE_DAYS} days ago.")
