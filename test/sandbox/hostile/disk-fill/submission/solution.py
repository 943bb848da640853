import errno
import os


def fill(directory):
    """Writes 1 MB chunks until the file system refuses; returns (bytes written, errno)."""
    path = os.path.join(directory, "fill.bin")
    written = 0
    chunk = b"\0" * (1024 * 1024)
    try:
        with open(path, "wb") as f:
            while written < 4 * 1024 * 1024 * 1024:
                f.write(chunk)
                f.flush()
                written += len(chunk)
    except OSError as e:
        return written, e.errno
    finally:
        if os.path.exists(path):
            os.remove(path)
    return written, None
