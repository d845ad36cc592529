"""The local server the browser tests use: quiet about clients that stop reading."""

from __future__ import annotations

import socket
import time

import pytest

from tests.site.harness import serve


def test_a_client_that_hangs_up_mid_response_is_not_reported(capfd: pytest.CaptureFixture[str]) -> None:
    body = b"x" * 20_000_000  # more than the socket buffers take at once
    served: list[str] = []

    def answer(path: str) -> tuple[int, dict[str, str], bytes]:
        served.append(path)
        return 200, {"Content-Type": "text/plain"}, body

    server = serve(answer)
    try:
        with socket.create_connection((server.host, server.port)) as client:
            client.sendall(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            client.recv(1024)
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        time.sleep(0.5)
    finally:
        server.close()
    assert served == ["/big"]
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err, captured.err
    assert "Broken pipe" not in captured.err
    assert "Connection reset" not in captured.err
