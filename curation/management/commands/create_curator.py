import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from curation.roles import ADMINISTRATOR, ROLES, setup_roles


class Command(BaseCommand):
    help = (
        "Create a local account once and print its password; does nothing if it exists. "
        "The default account is an Administrator; --role Curator or Editor makes one to try those roles."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="curator")
        parser.add_argument("--role", choices=ROLES, default=ADMINISTRATOR)

    def handle(self, *args, username, role, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Account “{username}” already exists; its password was shown when it was made.")
            return
        setup_roles()
        password = secrets.token_urlsafe(12)
        if role == ADMINISTRATOR:
            user = User.objects.create_superuser(username=username, email="", password=password)
        else:
            user = User.objects.create_user(username=username, email="", password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        self.stdout.write(self.style.SUCCESS(f"{role} account created. Username: {username}  Password: {password}"))
        self.stdout.write("This password is shown only once; change it in the admin.")
