from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factline.services import ImportRefused, source_import


class Command(BaseCommand):
    help = "Import UTF-8 text articles as sources with numbered passages; boilerplate is marked, never citable."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files: list[Path], **options):
        for path in files:
            try:
                data = path.read_bytes()
            except OSError as error:
                raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None
            try:
                source = source_import(data=data, origin=str(path))
            except ImportRefused as error:
                raise CommandError(str(error)) from None
            passages = source.passages.count()
            noise = source.passages.filter(boilerplate=True).count()
            self.stdout.write(f"Imported {path.name}: “{source.title}”, {passages} passages ({noise} boilerplate).")
