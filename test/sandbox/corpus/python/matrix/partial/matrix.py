def transpose(m):
    return [list(row) for row in zip(*m)]


def spiral(m):
    # Only right for square matrices: walks n x n layers.
    n = len(m)
    out = []
    for layer in range((n + 1) // 2):
        last = n - 1 - layer
        out += [m[layer][i] for i in range(layer, last + 1)]
        out += [m[i][last] for i in range(layer + 1, last + 1)]
        if last > layer:
            out += [m[last][i] for i in range(last - 1, layer - 1, -1)]
            out += [m[i][layer] for i in range(last - 1, layer, -1)]
    return out
