"""Who acts, as type hints the kernel can use without knowing the organisation app.

``StaffUser`` is what the kernel needs of a signed-in user (in this project an
``org.Officer``, the AUTH_USER_MODEL; apps annotate with ``Officer`` itself, see
congan/org/actors.py). ``System`` is the platform acting on its own, written ``"system"``:
demo data, loads and commands run by an operator; the audit trail records it as the system actor.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, TypeAlias

System: TypeAlias = Literal["system"]


class StaffUser(Protocol):
    """A signed-in user, as far as the kernel's services and scoping look at one."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...

    def get_username(self) -> str: ...
