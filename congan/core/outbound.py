"""Outgoing HTTP to a host a stranger named (a browser's push service): resolve the name once,
refuse it when any of its addresses is not public, and connect to the address that was checked.

Checking a name and then letting the HTTP library resolve it again leaves a gap a rebinding DNS
server can use (public answer for the check, 127.0.0.1 for the connection). ``pinned_session``
closes it: its requests go to the checked address itself, while the name stays in the Host
header, in TLS SNI and in the certificate check (urllib3's ``server_hostname`` and
``assert_hostname``). Through an HTTPS proxy the tunnel is opened to the checked address too.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # carries an IPv4 address in its last 32 bits


class BlockedAddress(Exception):
    """The name resolves to an address the server must not connect to."""


def is_public(address: Address, *, allowed: Iterable[str] = ()) -> bool:
    """Whether the server may connect to ``address``: globally routable unicast (not private,
    loopback, link-local, shared, reserved, documentation or multicast), or inside ``allowed``."""
    if any(address in ipaddress.ip_network(network, strict=False) for network in allowed):
        return True
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped, allowed=allowed)
        if address in _NAT64:
            return is_public(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF), allowed=allowed)
    return address.is_global and not address.is_multicast


def checked_address(host: str, port: int, *, allowed: Iterable[str] = ()) -> str:
    """The first address ``host`` resolves to, once every address it resolves to is public.
    BlockedAddress when one is not; OSError (socket.gaierror) when the name does not resolve."""
    allowed = list(allowed)
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise socket.gaierror(socket.EAI_NONAME, f"{host} has no address")
    blocked = [str(address) for address in addresses if not is_public(address, allowed=allowed)]
    if blocked:
        raise BlockedAddress(f"{host} resolves to {', '.join(blocked)}")
    return str(addresses[0])


class PinnedAddressAdapter(HTTPAdapter):
    """Sends its requests for ``host:port`` to ``address``, and refuses any other host."""

    def __init__(self, *, host: str, port: int, address: str, **kwargs: Any) -> None:
        self.host, self.port, self.address = host, port, address
        super().__init__(**kwargs)

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        parts = urlsplit(request.url or "")
        default = 443 if parts.scheme == "https" else 80
        if parts.hostname != self.host or (parts.port or default) != self.port:
            raise requests.exceptions.InvalidURL(f"not the checked host: {parts.hostname}")
        literal = f"[{self.address}]" if ":" in self.address else self.address
        request.url = urlunsplit(parts._replace(netloc=f"{literal}:{self.port}"))
        request.headers["Host"] = parts.netloc
        return super().send(request, *args, **kwargs)

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: bool | str, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = self.host  # SNI
            pool_kwargs["assert_hostname"] = self.host  # the certificate must name the host, not the address
        return host_params, pool_kwargs


def pinned_session(*, host: str, port: int, address: str) -> requests.Session:
    """A requests session whose every request goes to ``address`` (checked by ``checked_address``)
    for ``host:port``; redirects are not followed."""
    session = requests.Session()
    adapter = PinnedAddressAdapter(host=host, port=port, address=address)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.max_redirects = 0
    return session
