import errno

from solution import fill


def test_work_dir_is_capped():
    written, err = fill("/work/code")
    assert err in (errno.ENOSPC, errno.EFBIG)
    assert written <= 64 * 1024 * 1024


def test_tmp_is_capped():
    written, err = fill("/tmp")
    assert err in (errno.ENOSPC, errno.EFBIG)
    assert written <= 32 * 1024 * 1024
