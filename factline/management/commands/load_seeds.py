from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factline.seeds import SEEDS_DIR, SeedError, load_seeds


class Command(BaseCommand):
    help = "Import the seed articles and the demo Mali timeline; a second run changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=SEEDS_DIR, help="The seeds folder (default: seeds/).")

    def handle(self, *args, dir: Path, **options):
        try:
            report = load_seeds(dir)
        except SeedError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Sources: {report.sources_imported} imported, {report.sources_present} already there. "
            + (
                f"Timeline loaded: {report.entries} entries, {report.citations} citations, {report.ratings} ratings."
                if report.timeline_created
                else "Timeline already there, left as it is."
            )
        )
