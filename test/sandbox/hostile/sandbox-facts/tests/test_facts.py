import os
import resource

from solution import mounts, status_fields


def test_not_root():
    assert os.getuid() == 10001 and os.geteuid() == 10001 and os.getgid() == 10001


def test_no_capabilities_and_no_new_privileges():
    s = status_fields()
    for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert int(s[key], 16) == 0, key
    assert s["NoNewPrivs"] == "1"
    assert s["Seccomp"] == "2"


def test_read_only_root_and_tmpfs_work_dir():
    m = mounts()
    assert "ro" in m["/"][1]
    fstype, opts = m["/work"]
    assert fstype == "tmpfs"
    assert {"nosuid", "nodev", "noexec"} <= opts
    assert m["/tmp"][0] == "tmpfs"


def test_limits():
    with open("/sys/fs/cgroup/memory/memory.limit_in_bytes") as f:
        assert int(f.read()) == 256 * 1024 * 1024
    with open("/sys/fs/cgroup/pids/pids.max") as f:
        assert int(f.read()) == 64
    assert resource.getrlimit(resource.RLIMIT_NOFILE) == (256, 256)
    assert resource.getrlimit(resource.RLIMIT_FSIZE)[0] == 64 * 1024 * 1024


def test_no_docker_socket_and_no_host_files():
    assert not os.path.exists("/var/run/docker.sock")
    assert not os.path.exists("/run/docker.sock")
    assert os.uname().nodename == "sandbox"
