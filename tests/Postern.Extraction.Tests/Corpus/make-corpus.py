#!/usr/bin/env python3
"""Writes the malformed-message corpus. Each message plants 'MARKER-<name>' only in encoded form, so a test that finds
the marker in a decoded item proves that reading was taken. Run from this folder; the outputs are committed."""
import base64, binascii, quopri

def b64(data, width=76):
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i+width] for i in range(0, len(s), width))

def marker(name):
    return ("payload start MARKER-%s payload end\n" % name).encode()

def head(extra=""):
    return ("From: a@example.org\nTo: b@example.org\nSubject: test\nMIME-Version: 1.0\n" + extra)

def write(name, text, encoding="utf-8"):
    with open(name + ".eml", "w", newline="\n", encoding=encoding) as f:
        f.write(text)

# Duplicate Content-Transfer-Encoding: MimeKit takes one, a client may take the other.
write("duplicate-cte", head() + "Content-Type: application/octet-stream\nContent-Transfer-Encoding: 7bit\n"
      "Content-Transfer-Encoding: base64\n\n" + b64(marker("duplicate-cte")) + "\n")

# Base64 with junk characters and data after a padding '=' in the middle.
enc = base64.b64encode(marker("base64-junk")).decode()
junky = "".join(c + ("!" if i % 7 == 3 else "") for i, c in enumerate(enc))
write("base64-junk", head() + "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
      + base64.b64encode(b"x").decode() + "\n" + junky + "\n")

# No Content-Transfer-Encoding, body clearly base64.
write("missing-cte-base64", head() + "Content-Type: application/octet-stream\n\n" + b64(marker("missing-cte-base64") * 3) + "\n")

# Two boundary parameters: the second one splits the body.
write("two-boundaries", head() + 'Content-Type: multipart/mixed; boundary="aaa"; boundary="bbb"\n\n'
      "--bbb\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
      + b64(marker("two-boundaries")) + "\n--bbb--\n")

# Duplicate Content-Type headers: text/plain first, multipart second.
write("duplicate-content-type", head() + "Content-Type: text/plain\nContent-Type: multipart/mixed; boundary=zz\n\n"
      "--zz\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
      + b64(marker("duplicate-content-type")) + "\n--zz--\n")

# Missing final boundary.
write("missing-final-boundary", head() + "Content-Type: multipart/mixed; boundary=b1\n\n--b1\nContent-Type: text/plain\n\nhello\n"
      "--b1\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n" + b64(marker("missing-final-boundary")) + "\n")

# A part hidden in the preamble.
write("preamble-part", head() + "Content-Type: multipart/mixed; boundary=b1\n\nThis is a multi-part message.\n"
      "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n" + b64(marker("preamble-part")) + "\n\n"
      "--b1\nContent-Type: text/plain\n\nhello\n--b1--\n")

# Data in the epilogue.
write("epilogue-part", head() + "Content-Type: multipart/mixed; boundary=b1\n\n--b1\nContent-Type: text/plain\n\nhello\n--b1--\n"
      "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n" + b64(marker("epilogue-part")) + "\n")

# RFC 2047 encoded-word filename and RFC 2231 continuation filename.
write("rfc2047-filename", head() + "Content-Type: multipart/mixed; boundary=b1\n\n--b1\n"
      "Content-Type: application/octet-stream; name=\"=?UTF-8?B?" + base64.b64encode("résumé.exe".encode()).decode() + "?=\"\n"
      "Content-Disposition: attachment; filename=\"=?UTF-8?B?" + base64.b64encode("résumé.exe".encode()).decode() + "?=\"\n"
      "Content-Transfer-Encoding: base64\n\n" + b64(marker("rfc2047-filename")) + "\n--b1\n"
      "Content-Type: application/octet-stream\n"
      "Content-Disposition: attachment; filename*0*=UTF-8''%E2%82%AC%20rate; filename*1*=%20invoice.pdf.exe\n"
      "Content-Transfer-Encoding: base64\n\n" + b64(marker("rfc2231-filename")) + "\n--b1--\n")

# Unknown charset with quoted-printable text.
write("bad-charset", head() + "Content-Type: text/plain; charset=\"x-no-such-charset-\xff\"\nContent-Transfer-Encoding: quoted-printable\n\n"
      + quopri.encodestring(marker("bad-charset").replace(b"MARKER", b"MAR\xe9KER")).decode().replace("MAR=E9KER", "M=41RKER=\n") + "\n")

# uuencode inside a text part.
uu = "begin 644 evil.bin\n" + "".join(binascii.b2a_uu(marker("uuencode-inline")[i:i+45]).decode() for i in range(0, len(marker("uuencode-inline")), 45)) + "`\nend\n"
write("uuencode-inline", head() + "Content-Type: text/plain\n\nSee attached:\n\n" + uu + "\nbye\n")

# yEnc inside a text part.
def yenc(data):
    out = []
    for b in data:
        c = (b + 42) % 256
        if c in (0, 10, 13, 61):
            out.append("=" + chr((c + 64) % 256))
        else:
            out.append(chr(c))
    return "".join(out)
payload = marker("yenc-inline")
write("yenc-inline", head() + "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
      "=ybegin line=128 size=%d name=y.bin\n%s\n=yend size=%d\n" % (len(payload), yenc(payload), len(payload)), encoding="latin-1")

# BinHex 4.0 inside a text part (no run-length compression needed; CRCs left zero, as we do not check them).
def binhex(name, data):
    n = name.encode()
    raw = bytes([len(n)]) + n + b"\0" + b"TEXTMSWD" + b"\0\0" + len(data).to_bytes(4, "big") + (0).to_bytes(4, "big") + b"\0\0" + data + b"\0\0" + b"\0\0"
    raw = raw.replace(b"\x90", b"\x90\x00")
    alphabet = "!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr"
    bits, nbits, out = 0, 0, []
    for b in raw:
        bits = (bits << 8) | b; nbits += 8
        while nbits >= 6:
            nbits -= 6; out.append(alphabet[(bits >> nbits) & 63])
    if nbits:
        out.append(alphabet[(bits << (6 - nbits)) & 63])
    s = ":" + "".join(out) + ":"
    return "\n".join(s[i:i+64] for i in range(0, len(s), 64))
write("binhex-inline", head() + "Content-Type: text/plain\n\n(This file must be converted with BinHex 4.0)\n" + binhex("mac.doc", marker("binhex-inline")) + "\n")

# message/rfc822 inside message/rfc822 inside the message, innermost part base64.
def inner_message(name):
    return head() + "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n" + b64(marker(name)) + "\n"
inner = inner_message("rfc822-nesting")
middle = head() + "Content-Type: multipart/mixed; boundary=m2\n\n--m2\nContent-Type: message/rfc822\n\n" + inner + "--m2--\n"
write("rfc822-nesting", head() + "Content-Type: multipart/mixed; boundary=m1\n\n--m1\nContent-Type: text/plain\n\nfwd\n"
      "--m1\nContent-Type: message/rfc822\n\n" + middle + "--m1--\n")

# message/rfc822 carried base64-encoded (illegal, yet decoded by clients).
write("rfc822-base64", head() + "Content-Type: multipart/mixed; boundary=m1\n\n--m1\nContent-Type: message/rfc822\n"
      "Content-Transfer-Encoding: base64\n\n" + b64(inner_message("rfc822-base64").encode()) + "\n--m1--\n")

# Base64 transfer encoding on a multipart.
body = "--in\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n" + b64(marker("multipart-cte")) + "\n--in--\n"
write("multipart-cte", head() + "Content-Type: multipart/mixed; boundary=in\nContent-Transfer-Encoding: base64\n\n" + b64(body.encode()) + "\n")

# message/partial fragment.
write("message-partial", head() + "Content-Type: message/partial; id=\"abc@example.org\"; number=1; total=2\n\n"
      + head() + "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n" + b64(marker("message-partial")) + "\n")

# Nested multiparts far past the nesting limit, payload at the bottom.
depth = 80
text = head() + "Content-Type: multipart/mixed; boundary=d0\n\n"
for i in range(depth):
    text += "--d%d\nContent-Type: multipart/mixed; boundary=d%d\n\n" % (i, i + 1)
text += "--d%d\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n%s\n--d%d--\n" % (depth, b64(marker("deep-nesting")), depth)
for i in reversed(range(depth)):
    text += "--d%d--\n" % i
write("deep-nesting", text)
