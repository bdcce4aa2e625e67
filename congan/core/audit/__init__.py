"""Hash-chained audit trail: ``audit_record`` for writes, ``audit_read`` for reads of personal
data, ``audit_enqueue`` for high-volume reads appended in batches by the buffered writer (the call is
answered once its batch is committed: ``audit_durable``), and
``audit_later`` + ``audit_append`` for writes whose record is completed after they commit, and
``audit_event`` for a write whose own statement appends its event (``in_statement``)."""

from congan.core.audit.services import (
    Actor,
    AuditUnavailable,
    audit_append,
    audit_durable,
    audit_enqueue,
    audit_event,
    audit_later,
    audit_partner_call,
    audit_read,
    audit_record,
)

__all__ = [
    "Actor",
    "AuditUnavailable",
    "audit_append",
    "audit_durable",
    "audit_enqueue",
    "audit_event",
    "audit_later",
    "audit_partner_call",
    "audit_read",
    "audit_record",
]
