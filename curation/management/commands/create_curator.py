import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the local curator account once and print its password; does nothing if it exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="curator")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Curator account “{username}” already exists; its password was shown when it was made.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(f"Curator account created. Username: {username}  Password: {password}"))
        self.stdout.write("This password is shown only once; change it in the admin.")
