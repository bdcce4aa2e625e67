from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from congan.core.demo import run_all as run_demo_builders
from congan.core.errors import ApplicationError
from congan.org import demo


class Command(BaseCommand):
    help = (
        "Build the demo province (tỉnh mẫu) from the real 2025 administrative units: the provincial "
        "police, its departments, one police unit per commune, about 300 officers, training courses and "
        f"one account per role (password {demo.DEMO_PASSWORD!r}; ADMIN and LEADER get a fixed authenticator "
        "secret and recovery codes, printed at the end). Idempotent: only what is missing is created. "
        "Audit: units, courses and accounts are recorded one event each (actor 'system'); officers and "
        "attendances are bulk-inserted and recorded by one 'org.demo.build' event with their counts. "
        "Existing accounts of the same names are never changed. Refused on an HTTPS (production) "
        "install unless --force: the demo password and second factors are public."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            default=demo.DEFAULT_PROVINCE,
            help="NSO 2025 province code, two digits (default 48, thành phố Đà Nẵng)",
        )
        parser.add_argument(
            "--officers",
            type=int,
            default=demo.DEFAULT_OFFICERS,
            help="how many officers to generate besides the demo accounts (default 300)",
        )
        parser.add_argument(
            "--residents",
            type=int,
            default=200_000,
            help="residents (in households) that the population module builds for the province (default 200000)",
        )
        parser.add_argument(
            "--dossiers",
            type=int,
            default=None,
            help="public-service dossiers over the last 12 months (default: a quarter of --residents, at most 50000)",
        )
        parser.add_argument(
            "--reports",
            type=int,
            default=None,
            help="citizen reports (tin báo): 40 open ones, the rest handled over six months (default: residents / 40, "
            "at most 5000)",
        )
        parser.add_argument(
            "--violations",
            type=int,
            default=None,
            help="camera-detected violations over six months in every review state (default: residents / 2, at "
            "most 100000)",
        )
        parser.add_argument(
            "--documents",
            type=int,
            default=None,
            help="incoming documents in the units' registers over twelve months (default: residents / 10, at most "
            "20000)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="build the demo even when CONGAN_HTTPS is on (a production-like install)",
        )

    def handle(self, *args, **options):
        if options["officers"] < 0:
            raise CommandError("--officers must be 0 or more")
        if settings.HTTPS and not options["force"]:
            raise CommandError(
                "refusing to create demo accounts with a public password on an HTTPS install; pass --force "
                "if this really is a demonstration server"
            )
        try:
            result = demo.demo_build(province_code=options["province"], officers=options["officers"])
        except ApplicationError as exc:
            raise CommandError(f"{exc.message}: {exc.details}") from exc
        created = ", ".join(f"{name} {count}" for name, count in result.created.items())
        self.stdout.write(self.style.SUCCESS(f"{result.province.name}: created {created}"))
        dossiers = options["dossiers"] if options["dossiers"] is not None else min(50_000, options["residents"] // 4)
        reports = options["reports"] if options["reports"] is not None else min(5000, options["residents"] // 40)
        violations = options["violations"]
        if violations is None:
            violations = min(100_000, options["residents"] // 2)
        built = run_demo_builders(
            province=result.province,
            residents=options["residents"],
            dossiers=dossiers,
            reports=reports,
            violations=violations,
            documents=options["documents"],
        )
        for module, counts in built.items():
            summary = ", ".join(f"{name} {count}" for name, count in counts.items())
            self.stdout.write(self.style.SUCCESS(f"{module}: created {summary}"))
        self._accounts_table(result.accounts)

    def _accounts_table(self, accounts: list[demo.DemoAccount]) -> None:
        header = ("username", "role", "unit", "password")
        rows = [(a.username, a.role, a.unit, a.password) for a in accounts]
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        self.stdout.write("")
        self.stdout.write("Demo accounts / Tài khoản dùng thử:")
        for row in [header, tuple("-" * w for w in widths), *rows]:
            self.stdout.write("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
        for account in accounts:
            if not account.totp_secret:
                continue
            self.stdout.write("")
            self.stdout.write(f"{account.username}: two-factor (xác thực hai lớp) secret {account.totp_secret}")
            self.stdout.write(f"  {account.otpauth_url}")
            self.stdout.write(f"  recovery codes (mã khôi phục): {' '.join(account.recovery_codes)}")
