import os
import socket

import pytest

from solution import try_connect


def test_no_internet():
    assert try_connect("1.1.1.1", 80) != "connected"


@pytest.mark.parametrize("port", [2375, 2376, 22, 80])
def test_no_docker_host(port):
    assert try_connect("172.17.0.1", port) != "connected"


def test_no_dns():
    with pytest.raises(OSError):
        socket.getaddrinfo("deb.debian.org", 80)


def test_only_loopback():
    assert sorted(os.listdir("/sys/class/net")) == ["lo"]
