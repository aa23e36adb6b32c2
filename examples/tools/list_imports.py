#!/usr/bin/env python3
"""List the top-level imports (and exports) of a WebAssembly component.

Usage: list_imports.py COMPONENT.wasm [--check]

With --check, exits 1 if the component imports anything the pikafx host
refuses (wasi:http, wasi:sockets) -- only the component's own (top-level)
imports count; nested, internally satisfied imports do not.
No dependencies: it walks the component binary's section headers only.
"""
import sys

REFUSED = ("wasi:http", "wasi:sockets")
KINDS = {0x00: "core-module", 0x01: "func", 0x02: "value", 0x03: "type",
         0x04: "component", 0x05: "instance"}


def leb(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def name(buf, pos):
    n, pos = leb(buf, pos)
    return buf[pos:pos + n].decode("utf-8"), pos + n


def extern_name(buf, pos):
    tag = buf[pos]
    pos += 1
    if tag in (0x00, 0x01):
        s, pos = name(buf, pos)
        if tag == 0x01:  # older encodings carried a version suffix / url
            pass
        return s, pos
    raise ValueError(f"unknown extern name tag {tag:#x}")


def externdesc(buf, pos):
    kind = buf[pos]
    pos += 1
    if kind == 0x00:
        pos += 1  # 0x11
        _, pos = leb(buf, pos)
    elif kind in (0x01, 0x04, 0x05):
        _, pos = leb(buf, pos)
    elif kind in (0x02, 0x03):
        bound = buf[pos]
        pos += 1
        if bound == 0x00:
            _, pos = leb(buf, pos)
        elif kind == 0x02:  # value bound with an inline valtype
            _, pos = leb(buf, pos)
    else:
        raise ValueError(f"unknown externdesc kind {kind:#x}")
    return KINDS.get(kind, hex(kind)), pos


def sections(buf):
    if buf[:4] != b"\0asm":
        raise ValueError("not a wasm binary")
    if buf[6:8] != b"\x01\x00":
        raise ValueError("a core module, not a component")
    pos = 8
    while pos < len(buf):
        sid = buf[pos]
        size, pos = leb(buf, pos + 1)
        yield sid, buf[pos:pos + size]
        pos += size


def top_level(path):
    buf = open(path, "rb").read()
    imports, exports = [], []
    for sid, body in sections(buf):
        if sid == 10:  # import section
            count, pos = leb(body, 0)
            for _ in range(count):
                n, pos = extern_name(body, pos)
                kind, pos = externdesc(body, pos)
                imports.append((n, kind))
        elif sid == 11:  # export section
            count, pos = leb(body, 0)
            for _ in range(count):
                n, pos = extern_name(body, pos)
                sort = body[pos]
                pos += 1
                if sort == 0x00:
                    pos += 1
                _, pos = leb(body, pos)
                if body[pos] == 0x01:  # optional ascribed type
                    pos += 1
                    _, pos = externdesc(body, pos)
                else:
                    pos += 1
                exports.append(n)
    return imports, exports


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    if len(args) != 1:
        sys.exit(__doc__)
    imports, exports = top_level(args[0])
    for n, kind in imports:
        print(f"import {kind:9} {n}")
    for n in exports:
        print(f"export           {n}")
    bad = [n for n, _ in imports if n.startswith(REFUSED)]
    if "--check" in sys.argv and bad:
        print(f"error: {args[0]} imports interfaces the host refuses: {', '.join(bad)}",
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
