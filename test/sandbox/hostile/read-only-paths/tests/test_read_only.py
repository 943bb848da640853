import errno
import os

import pytest

from solution import try_write

PATHS = [
    "/evil",
    "/etc/passwd",
    "/etc/evil",
    "/usr/local/bin/evil",
    "/usr/lib/python3/dist-packages/evil.py",
    "/opt/runner/pytest.ini",
    "/opt/runner/test",
    "/opt/sandbox/serve",
    "/opt/sandbox/serve-sh",
    "/opt/sandbox/serve-timeout",
    "/root/evil",
    "/var/tmp/evil",
    "/home/evil",
    "/proc/sys/kernel/hostname",
    "/proc/sysrq-trigger",
    "/sys/fs/cgroup/memory/memory.limit_in_bytes",
]


@pytest.mark.parametrize("path", PATHS)
def test_cannot_write(path):
    assert try_write(path, "a") != "written"


def test_cannot_chmod_the_entry():
    # The container's entry exists (a missing file would raise ENOENT and prove nothing).
    assert os.path.isfile("/opt/sandbox/serve")
    with pytest.raises(OSError) as refused:
        os.chmod("/opt/sandbox/serve", 0o777)
    assert refused.value.errno in (errno.EPERM, errno.EROFS)


def test_work_dir_is_writable():
    assert try_write("/work/code/ok.txt") == "written"
