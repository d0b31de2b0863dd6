from django.core.management.base import BaseCommand

from curation.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo's missing records from fixtures/demo.json; records already there are left as they are."

    def handle(self, *args, **options):
        counts = load_demo()
        if not any(counts.values()):
            self.stdout.write("Demo collection: every record is already there; nothing changed.")
            return
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
        self.stdout.write(self.style.SUCCESS(f"Demo collection: created {summary}."))
