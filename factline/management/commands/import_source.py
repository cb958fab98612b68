from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factline import ingest
from factline.services import ImportRefused, source_create, source_import


class Command(BaseCommand):
    help = (
        "Import articles as sources with numbered passages: text (UTF-8), HTML and PDF files, or a web page "
        "with --url. HTML is reduced to the article; boilerplate is marked, never citable."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help=".txt, .html, .htm or .pdf files")
        parser.add_argument("--url", action="append", default=[], help="a web address to fetch (may be repeated)")

    def handle(self, *args, files: list[Path], url: list[str], **options):
        if not files and not url:
            raise CommandError("Give one or more files, or --url ADDRESS.")
        for path in files:
            try:
                data = path.read_bytes()
            except OSError as error:
                raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None
            try:
                source = source_import(data=data, origin=str(path))
            except ImportRefused as error:
                raise CommandError(str(error)) from None
            self._report(path.name, source)
        for address in url:
            try:
                source = source_create(actor=None, prepared=ingest.read_address(address))
            except ImportRefused as error:
                raise CommandError(str(error.named(address))) from None
            self._report(address, source)

    def _report(self, name: str, source) -> None:
        passages = source.passages.count()
        noise = source.passages.filter(boilerplate=True).count()
        self.stdout.write(f"Imported {name}: “{source.title}”, {passages} passages ({noise} boilerplate).")
