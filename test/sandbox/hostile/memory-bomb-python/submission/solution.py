def solve():
    hoard = []
    while True:
        hoard.append(bytearray(b"x" * (10 * 1024 * 1024)))
