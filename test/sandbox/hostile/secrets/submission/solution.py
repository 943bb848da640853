import os


def harvest():
    found = dict(os.environ)
    for pid in ["1", "self"]:
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                for item in f.read().split(b"\0"):
                    if b"=" in item:
                        k, v = item.split(b"=", 1)
                        found[k.decode()] = v.decode(errors="replace")
        except OSError:
            pass
    print("ENV DUMP", sorted(found.items()))
    return found
