"""Checks production settings run on values that belong to development."""
import ipaddress
import socket
from urllib.parse import urlsplit


def is_loopback_url(url: str) -> bool:
    """True when the URL's host is this machine: localhost (and *.localhost), 127.0.0.0/8
    in any spelling the resolver accepts (127.1, 2130706433), ::1, its IPv4-mapped form,
    or the unspecified address (connecting to 0.0.0.0 reaches this machine)."""
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except (OSError, ValueError):
            return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified
