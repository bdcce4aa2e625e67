from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError

from congan.core.errors import ApplicationError
from congan.org import roles, services
from congan.org.models import Officer


class Command(BaseCommand):
    help = "Create a system administrator (Quản trị hệ thống) account."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", default="Quản trị hệ thống")
        parser.add_argument("--password", help="read from the terminal when omitted")

    def handle(self, *args, **options):
        if Officer.objects.filter(username=options["username"]).exists():
            raise CommandError(f"username {options['username']!r} already exists")
        password = options["password"] or getpass.getpass("Mật khẩu / password: ")
        try:
            officer = services.officer_create(
                by="system",
                username=options["username"],
                full_name=options["full_name"],
                password=password,
                roles=[roles.ADMIN],
                is_staff=True,
                is_superuser=True,
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc.message}: {exc.details}") from exc
        self.stdout.write(
            self.style.SUCCESS(f"created administrator {officer.username}; two-factor setup is required at first login")
        )
