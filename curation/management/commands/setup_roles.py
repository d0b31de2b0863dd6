from django.core.management.base import BaseCommand

from curation.roles import setup_roles


class Command(BaseCommand):
    help = "Create or update the Curator, Editor and Administrator groups. Safe to run any number of times."

    def handle(self, *args, **options):
        for role, count in setup_roles().items():
            self.stdout.write(f"{role}: {count} permissions")
