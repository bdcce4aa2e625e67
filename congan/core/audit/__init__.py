"""Hash-chained audit trail: ``audit_record`` for writes, ``audit_read`` for reads of personal
data, ``audit_enqueue`` for high-volume reads appended in batches by the buffered writer."""

from congan.core.audit.services import Actor, audit_enqueue, audit_partner_call, audit_read, audit_record

__all__ = ["Actor", "audit_enqueue", "audit_partner_call", "audit_read", "audit_record"]
