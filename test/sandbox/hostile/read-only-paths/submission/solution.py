def try_write(path, mode="w"):
    try:
        with open(path, mode) as f:
            f.write("pwned\n")
        return "written"
    except OSError as e:
        return e.errno
