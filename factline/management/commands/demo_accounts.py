from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from factline.models import Membership, Timeline
from factline.models.timelines import Role

DEMO_PASSWORD = "factline-demo"
DEMO_ACCOUNTS = [("owner", Role.OWNER), ("editor", Role.EDITOR)]


class Command(BaseCommand):
    help = "Create the demo accounts (an owner and an editor of the demo timeline). Development only."

    def add_arguments(self, parser):
        parser.add_argument("--timeline", default="mali")

    def handle(self, *args, timeline: str, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only: run with DEBUG=1.")
        demo = Timeline.objects.filter(slug=timeline).first()
        if demo is None:
            raise CommandError(f"There is no timeline “{timeline}”: run load_seeds first.")
        User = get_user_model()
        for username, role in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            Membership.objects.get_or_create(timeline=demo, user=user, defaults={"role": role})
        names = " or ".join(f"“{name}”" for name, _ in DEMO_ACCOUNTS)
        self.stdout.write(f"Demo accounts: log in as {names} with the password “{DEMO_PASSWORD}”.")
