import errno

from solution import make_files


def test_inode_cap():
    made, err = make_files(100_000)
    assert err == errno.ENOSPC
    assert made < 100_000
