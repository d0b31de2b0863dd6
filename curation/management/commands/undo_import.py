"""python manage.py undo_import <batch> --user <username>"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from curation.models import ImportBatch
from curation.transfer.undo import UndoRefused, undo_batch


class Command(BaseCommand):
    help = "Undo an import batch: delete what it created, restore what it updated; refuse if edited since."

    def add_arguments(self, parser):
        parser.add_argument("batch", type=int)
        parser.add_argument("--user", required=True, help="Username of the curator undoing the import.")

    def handle(self, *args, batch, user, **options):
        try:
            account = get_user_model().objects.get(username=user)
            target = ImportBatch.objects.get(pk=batch)
        except (get_user_model().DoesNotExist, ImportBatch.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        try:
            counts = undo_batch(batch=target, user=account)
        except (UndoRefused, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Batch #{batch} undone: {counts['deleted']} deleted, {counts['restored']} restored.")
