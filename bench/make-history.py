#!/usr/bin/env python3
"""Write a git fast-import stream for part of a synthetic history.

    make-history.py FIRST LAST TOTAL TAGS [MARKS]

Commits FIRST..LAST of TOTAL on main, one every 15 minutes from 2024-01-01 UTC
(authored an hour before committing), with an annotated tag an hour after every
TOTAL/TAGS-th commit. When MARKS (a file written by `git fast-import
--export-marks`) is given, every 50th commit reverts a commit from the earlier
batch by its real id ("This reverts commit <sha>."), so the revert lookup works
on real data."""
import sys

first, last, total, tags = (int(a) for a in sys.argv[1:5])
marks = {}
if len(sys.argv) > 5:
    for line in open(sys.argv[5]):
        mark, sha = line.split()
        marks[int(mark[1:])] = sha
every = max(1, total // tags)
start = 1704067200  # 2024-01-01T00:00:00Z
out = sys.stdout.buffer
w = out.write
for i in range(first, last + 1):
    t = start + i * 900
    body = f"line {i}\n".encode()
    msg = f"change {i}\n".encode()
    target = i - first + 1
    if marks and i % 50 == 0 and target in marks:
        msg = f'Revert "change {target}"\n\nThis reverts commit {marks[target]}.\n'.encode()
    w(b"commit refs/heads/main\n")
    w(f"mark :{i}\n".encode())
    w(f"author Dev <dev@example.com> {t - 3600} +0000\n".encode())
    w(f"committer Dev <dev@example.com> {t} +0000\n".encode())
    w(f"data {len(msg)}\n".encode() + msg)
    if i == first and first > 1:
        w(b"from refs/heads/main^0\n")
    w(f"M 644 inline f{i % 100}.txt\n".encode())
    w(f"data {len(body)}\n".encode() + body)
    w(b"\n")
    if i % every == 0:
        tmsg = f"release {i // every}\n".encode()
        w(f"tag v{i // every}\nfrom :{i}\ntagger Dev <dev@example.com> {t + 3600} +0000\n".encode())
        w(f"data {len(tmsg)}\n".encode() + tmsg)
out.flush()
