import json

from django.core.management.base import BaseCommand, CommandError

from factline.exports import timeline_json
from factline.models import Timeline


class Command(BaseCommand):
    help = "Print a timeline, its entries and their citations as JSON."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug: str, **options):
        timeline = Timeline.objects.filter(slug=slug).first()
        if timeline is None:
            raise CommandError(f"There is no timeline with the slug “{slug}”.")
        self.stdout.write(json.dumps(timeline_json(timeline), ensure_ascii=False, indent=2))
