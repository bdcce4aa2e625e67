"""Signing a document through the service against bare pyHanko (issue 18, benchmark 2).

Both sign the same one-page PDF with the same PKCS#12 key and get an RFC 3161 timestamp from the
same local time-stamping authority (certomancer on 127.0.0.1, the tests' PKI): PAdES B-T.
- service: ``congan.signatures.services.sign_pdf`` with the signer's box (signature image and the
  unit's seal composed at their real size), the key read from its ``SigningKey`` row, the audit
  event written;
- bare: ``pyhanko`` alone, the key loaded once, pyHanko's default text stamp in the same box.
Target: bare time / service time ≥ 0.7 (the service costs at most ~43 % more per signature).
Rounds: BENCH_SIGNING_ROUNDS (default 30), alternating, after two warm-up signatures each.
"""

from __future__ import annotations

import io
import os
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings

BOX = (300.0, 320.0, 480.0, 400.0)


def _pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("Times-Roman", 14)
    page.drawString(72, 760, "Quyet dinh so 15/QD-CAT-PV01")
    page.showPage()
    page.save()
    return out.getvalue()


def run() -> int:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper

    from congan.org.models import Unit
    from congan.org.services import unit_create
    from congan.signatures.images import seal_png, signature_png
    from congan.signatures.models import SigningKey
    from congan.signatures.services import SignerBoxPlacement, sign_pdf
    from congan.signatures.tests.pki import PASSPHRASE, start_pki

    rounds = int(os.environ.get("BENCH_SIGNING_ROUNDS", 30))
    pki = start_pki(Path(tempfile.mkdtemp(prefix="congan-bench-pki-")))
    settings.SIGNING_TSA_URL = pki.tsa_url
    p12 = pki.pkcs12("signer-plain", key="signer")
    unit = Unit.objects.filter(code="BENCH-SIGNING").first() or unit_create(
        by="system", code="BENCH-SIGNING", name="Công an tỉnh (benchmark ký số)", kind=Unit.Kind.PROVINCE
    )
    key = SigningKey.objects.create(unit=unit, label="Benchmark", pkcs12_path=str(p12), pkcs12_passphrase=PASSPHRASE)
    pdf = _pdf()
    placement = SignerBoxPlacement(
        page=0, box=BOX, signer_image=signature_png("Lãnh Đạo"), seal_image=seal_png(unit.name), seal_size_mm=36
    )
    bare_signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=PASSPHRASE.encode())
    timestamper = HTTPTimeStamper(pki.tsa_url, timeout=10)

    def service() -> bytes:
        return sign_pdf(pdf=pdf, key=key, placement=placement, reason="Benchmark")

    def bare() -> bytes:
        meta = signers.PdfSignatureMetadata(
            field_name="ChuKy1", reason="Benchmark", subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256"
        )
        spec = fields.SigFieldSpec(sig_field_name="ChuKy1", on_page=0, box=(300, 320, 480, 400))
        signer = signers.PdfSigner(meta, bare_signer, timestamper=timestamper, new_field_spec=spec)
        return signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf))).getvalue()

    for _ in range(2):
        service()
        bare()
    if os.environ.get("BENCH_SIGNING_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        for _ in range(5):
            service()
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    service_times: list[float] = []
    bare_times: list[float] = []
    for _ in range(rounds):
        started = time.perf_counter()
        service()
        service_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        bare()
        bare_times.append(time.perf_counter() - started)
    pki.close()
    t_service, t_bare = statistics.median(service_times), statistics.median(bare_times)
    ratio = t_bare / t_service
    print(f"signing: PAdES B-T with the local TSA, {rounds} rounds each, median")
    print(f"  service (image + seal, key row, audit): {t_service * 1000:.1f} ms per signature")
    print(f"  bare pyHanko (default stamp):           {t_bare * 1000:.1f} ms per signature")
    print(f"  ratio: bare / service = {ratio:.2f} (target ≥ 0.7: {'met' if ratio >= 0.7 else 'NOT met'})")
    return 0
