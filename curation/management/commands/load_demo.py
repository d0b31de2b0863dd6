from django.core.management.base import BaseCommand

from curation.demo import load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo collection from fixtures/demo.json. Safe to run again."

    def handle(self, *args, **options):
        counts = load_demo()
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo collection loaded: {summary}."))
