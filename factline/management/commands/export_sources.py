import json

from django.core.management.base import BaseCommand

from factline.exports import sources_json


class Command(BaseCommand):
    help = "Print every source and its passages (boilerplate marked) as JSON."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(sources_json(), ensure_ascii=False, indent=2))
