def transpose(m):
    raise NotImplementedError


def spiral(m):
    raise NotImplementedError
