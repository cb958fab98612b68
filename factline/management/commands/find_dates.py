from django.core.management.base import BaseCommand

from factline.models import Source
from factline.services import source_find_dates


class Command(BaseCommand):
    help = "Find and resolve the date expressions of every source's passages again (after an upgrade)."

    def handle(self, *args, **options):
        total = 0
        for source in Source.objects.order_by("id").iterator():
            total += source_find_dates(source=source)
        self.stdout.write(f"{total} date expressions found.")
