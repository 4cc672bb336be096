"""Real receivers on 127.0.0.1: HTTP that checks signatures with the integrators' helper, and
HTTPS that records which host name each connection was opened and used for."""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sourcer.consent.webhook_verify import WebhookVerificationError, verify


@dataclass
class Received:
    verified: bool
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass
class Receiver:
    url: str = ""
    secret: str = ""
    now: Callable[[], float] | None = None
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        try:
            verify(
                secret=self.secret,
                headers=dict(request.headers),
                body=raw,
                now=self.now() if self.now else None,
            )
            verified = True
        except WebhookVerificationError:
            verified = False
        self.received.append(Received(verified, json.loads(raw), dict(request.headers)))
        if not verified:
            return Response(status_code=400)
        status, headers = self.script.pop(0) if self.script else (204, {})
        return Response(status_code=status, headers=headers)


class _Quiet(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def running_receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])])
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, access_log=False)
    server = _Quiet(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    receiver.url = f"http://127.0.0.1:{port}/hook"
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task


def throwaway_certificates(names: list[str], directory: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for `names`: (ca.pem, cert.pem, key.pem)."""
    now = datetime.now(UTC)

    def build(subject: str, issuer: x509.Name, key: Any, signer: Any, ca: bool) -> x509.Certificate:
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(issuer)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), False
            )
        )
        if ca:
            builder = builder.add_extension(
                x509.KeyUsage(
                    digital_signature=True, key_cert_sign=True, crl_sign=True,
                    content_commitment=False, key_encipherment=False, data_encipherment=False,
                    key_agreement=False, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )  # fmt: skip
        else:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False
            ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
    ca = build("Test CA", ca_name, ca_key, ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = build(names[0], ca_name, key, ca_key, ca=False)
    paths = directory / "ca.pem", directory / "cert.pem", directory / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


@dataclass
class TlsConnection:
    """One TLS connection as the receiver saw it: the name asked for in the handshake (SNI)
    and the Host header of every request it carried."""

    sni: str | None
    hosts: list[str] = field(default_factory=list)


@dataclass
class TlsReceiver:
    port: int = 0
    connections: list[TlsConnection] = field(default_factory=list)


@contextlib.asynccontextmanager
async def running_tls_receiver(cert: Path, key: Path) -> AsyncIterator[TlsReceiver]:
    """HTTPS with keep-alive on 127.0.0.1, answering 204 to every request; records per
    connection its SNI and its requests' Host headers."""
    receiver = TlsReceiver()
    names: dict[int, str | None] = {}
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def remember_sni(ssl_object: Any, name: str | None, _: ssl.SSLContext) -> None:
        names[id(ssl_object)] = name

    context.sni_callback = remember_sni

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = TlsConnection(names.get(id(writer.get_extra_info("ssl_object"))))
        receiver.connections.append(connection)
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                lines = head.decode("latin-1").split("\r\n")[1:]
                fields = dict(line.split(": ", 1) for line in lines if ": " in line)
                fields = {k.lower(): v for k, v in fields.items()}
                connection.hosts.append(fields["host"])
                await reader.readexactly(int(fields.get("content-length", "0")))
                writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    receiver.port = server.sockets[0].getsockname()[1]
    try:
        yield receiver
    finally:
        server.close()
        await server.wait_closed()
