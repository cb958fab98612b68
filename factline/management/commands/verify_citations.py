from django.core.management.base import BaseCommand, CommandError

from factline import review
from factline.models import Citation, Entry


class Command(BaseCommand):
    help = (
        "Check every citation again (its quote at its offsets in its passage, the passage still its source's "
        "text), and every entry against the evidence rules (a date, stance or source stronger than its "
        "citations allow); print each failure and exit non-zero if there is one. An entry marked reviewed "
        "since it last changed passes the evidence rules (an editor judged it)."
    )

    def add_arguments(self, parser):
        names = [each.name for each in review.RULES if each.verify]
        parser.add_argument(
            "--rule",
            action="append",
            choices=names,
            dest="rules",
            help="Run only this check (repeat for more); by default all of them: " + ", ".join(names) + ".",
        )

    def handle(self, *args, **options):
        failures = review.verify(names=options["rules"])
        cited = {finding.citation_id for _, finding in failures if finding.citation_id}
        citations = (
            Citation.objects.select_related("entry__timeline", "passage__source")
            .defer("passage__source__text")
            .in_bulk(cited)
        )
        entries = Entry.objects.select_related("timeline").in_bulk({f.entry_id for _, f in failures})
        for each, finding in failures:
            citation = citations.get(finding.citation_id)
            if citation is not None:
                what = (
                    f"citation {citation.pk} (“{citation.quote[:60]}”, {citation.passage.source.title} "
                    f"¶{citation.passage.number}) of entry {citation.entry_id} “{citation.entry.headline}” "
                    f"on {citation.entry.timeline.slug}"
                )
            else:
                entry = entries[finding.entry_id]
                what = f"entry {entry.pk} “{entry.headline}” on {entry.timeline.slug}"
            self.stderr.write(f"FAILED {each.name}: {what}: {finding.detail or each.reason}")
        checked = Citation.objects.count()
        if failures:
            raise CommandError(f"{len(failures)} of the checks failed ({checked} citations checked).")
        said = f"All {checked} citations verify"
        if options["rules"] != ["unverified"]:
            said += f", and none of {Entry.objects.count()} entries claims more than its evidence"
        self.stdout.write(said + ".")
